package io.imagehub.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The signed-host forms of ADR 0013: the Host header, and that header without its port; nothing else. */
class SignedHostFormsTest {
    @Test
    void aHostWithAPortMayBeSignedWithOrWithoutIt() {
        assertThat(RequestAuthenticator.signedHostForms("127.0.0.1:9000")).containsExactly("127.0.0.1:9000", "127.0.0.1");
        assertThat(RequestAuthenticator.signedHostForms("cvm.imagehub.local:443"))
                .containsExactly("cvm.imagehub.local:443", "cvm.imagehub.local");
        assertThat(RequestAuthenticator.signedHostForms("[::1]:9000")).containsExactly("[::1]:9000", "[::1]");
    }

    @Test
    void anythingElseIsSignedOnlyAsSent() {
        assertThat(RequestAuthenticator.signedHostForms("cvm.tencentcloudapi.com")).containsExactly("cvm.tencentcloudapi.com");
        assertThat(RequestAuthenticator.signedHostForms("http://127.0.0.1:9000")).containsExactly("http://127.0.0.1:9000");
        assertThat(RequestAuthenticator.signedHostForms("127.0.0.1:")).containsExactly("127.0.0.1:");
        assertThat(RequestAuthenticator.signedHostForms("127.0.0.1:9000:1")).containsExactly("127.0.0.1:9000:1");
        assertThat(RequestAuthenticator.signedHostForms("[::1]")).containsExactly("[::1]");
    }
}
