package io.imagehub.app;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server's TLS identity from PEM files ({@code serve --tls-cert FILE --tls-key FILE}, or {@code tlsCert} and
 * {@code tlsKey} in the config file): the certificate chain, server certificate first, and its private key
 * (PKCS#8 or PKCS#1, unencrypted). The API, the admin surface and the console are then served over TLS only.
 */
final class ServerTls {
    private ServerTls() {
    }

    /** The TLS settings for {@code certChain} and {@code privateKey}; refuses a missing or unreadable file. */
    static Tls fromPem(Path certChain, Path privateKey) {
        for (Path file : List.of(certChain, privateKey)) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("TLS: cannot read " + file.toAbsolutePath());
            }
        }
        Keys keys = Keys.builder().pem(pem -> pem.certChain(Resource.create(certChain)).key(Resource.create(privateKey)))
                .build();
        PrivateKey key = keys.privateKey().orElseThrow(() ->
                new IllegalArgumentException("TLS: no private key in " + privateKey.toAbsolutePath()));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("TLS: no certificate in " + certChain.toAbsolutePath());
        }
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }
}
