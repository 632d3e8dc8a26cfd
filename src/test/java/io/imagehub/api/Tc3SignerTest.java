package io.imagehub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.api.Tc3Signer.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test vectors of spec section 1.6.3. */
class Tc3SignerTest {
    private static final String SECRET_ID = "AKIDEXAMPLE1234567890abcdefghijklmn";
    private static final String SECRET_KEY = "EXAMPLEsecretKey0123456789abcdefgh";
    private static final long TIMESTAMP = 1700000000L;
    private static final byte[] BODY = "{\"ImageIds\":[\"img-abcdefgh\"],\"Limit\":10}".getBytes(StandardCharsets.UTF_8);
    private static final List<Header> JSON_HEADERS = List.of(
            new Header("content-type", "application/json; charset=utf-8"),
            new Header("host", "cvm.tencentcloudapi.com"));

    @Test
    void vectorA_postJson() {
        assertThat(Tc3Signer.sha256Hex(BODY))
                .isEqualTo("02accfdddddce9f96509072e0cdd2a1d4d5bd6b3d9c73a8c39aedcf35849d902");
        String canonical = Tc3Signer.canonicalRequest("POST", "", JSON_HEADERS, Tc3Signer.sha256Hex(BODY));
        assertThat(Tc3Signer.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("7d7f782dda4e283b3ac5ee3560c448d3a789b0950a43c297eb5b14122d883ff7");
        assertThat(Tc3Signer.authorization(SECRET_ID, SECRET_KEY, "cvm", TIMESTAMP, "POST", "", JSON_HEADERS, BODY))
                .isEqualTo("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE1234567890abcdefghijklmn/2023-11-14/cvm/tc3_request, "
                        + "SignedHeaders=content-type;host, "
                        + "Signature=a403ead2a6e4d90653a01f5453b8177db65ebd76e4eea5a8dd6f6c476f8ad9a4");
    }

    @Test
    void vectorB_get() {
        List<Header> headers = List.of(new Header("content-type", "application/x-www-form-urlencoded"),
                new Header("host", "cvm.tencentcloudapi.com"));
        String canonical = Tc3Signer.canonicalRequest("GET", "ImageIds.0=img-abcdefgh&Limit=10", headers,
                Tc3Signer.sha256Hex(new byte[0]));
        String date = Tc3Signer.utcDate(TIMESTAMP);
        assertThat(Tc3Signer.signature(SECRET_KEY, date, "cvm", Tc3Signer.stringToSign(TIMESTAMP, date, "cvm", canonical)))
                .isEqualTo("c41b2c338f42a6d8443ea1dcf40057fee712f6e987ed1dbf257e48f35d86b659");
    }

    @Test
    void vectorC_signsActionHeaderLowerCased() {
        List<Header> headers = List.of(JSON_HEADERS.get(0), JSON_HEADERS.get(1), new Header("x-tc-action", "DescribeImages"));
        String canonical = Tc3Signer.canonicalRequest("POST", "", headers, Tc3Signer.sha256Hex(BODY));
        String date = Tc3Signer.utcDate(TIMESTAMP);
        assertThat(Tc3Signer.signature(SECRET_KEY, date, "cvm", Tc3Signer.stringToSign(TIMESTAMP, date, "cvm", canonical)))
                .isEqualTo("6be5c2bbcbf7be5f06d82e26a08698084a32904692bc0f34cd7f85d35823331e");
    }

    @Test
    void dateIsUtcNotLocal() {
        assertThat(Tc3Signer.utcDate(TIMESTAMP)).isEqualTo("2023-11-14");
        // 2023-11-14T23:59:59Z is 2023-11-15 07:59:59 in UTC+8: the scope date must still be the 14th
        assertThat(Tc3Signer.utcDate(1700006399L)).isEqualTo("2023-11-14");
    }

    @Test
    void aChangedBodyByteOrTimestampChangesTheSignature() {
        String original = Tc3Signer.authorization(SECRET_ID, SECRET_KEY, "127", TIMESTAMP, "POST", "", JSON_HEADERS, BODY);
        byte[] changed = BODY.clone();
        changed[changed.length - 2] = '1';
        assertThat(Tc3Signer.authorization(SECRET_ID, SECRET_KEY, "127", TIMESTAMP, "POST", "", JSON_HEADERS, changed))
                .isNotEqualTo(original);
        assertThat(Tc3Signer.authorization(SECRET_ID, SECRET_KEY, "127", TIMESTAMP + 1, "POST", "", JSON_HEADERS, BODY))
                .isNotEqualTo(original);
    }
}
