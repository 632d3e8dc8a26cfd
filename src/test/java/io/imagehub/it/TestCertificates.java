package io.imagehub.it;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at run time and a server certificate it issued for 127.0.0.1 and localhost, written
 * as the PEM files {@code serve --tls-cert/--tls-key} reads, plus what clients need to trust the authority.
 */
public final class TestCertificates {
    private final Path caPem;
    private final Path serverChainPem;
    private final Path serverKeyPem;
    private final X509TrustManager trust;
    private final SSLContext sslContext;

    private TestCertificates(Path caPem, Path serverChainPem, Path serverKeyPem, X509TrustManager trust,
                             SSLContext sslContext) {
        this.caPem = caPem;
        this.serverChainPem = serverChainPem;
        this.serverKeyPem = serverKeyPem;
        this.trust = trust;
        this.sslContext = sslContext;
    }

    /** Issues a fresh authority and server certificate (RSA 2048, valid for a day) into {@code dir}. */
    public static TestCertificates issue(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair caKeys = rsa.generateKeyPair();
        KeyPair serverKeys = rsa.generateKeyPair();
        X500Name caName = new X500Name("CN=imagehub test CA");
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, notBefore(), notAfter(),
                caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                caKeys.getPrivate());
        X509Certificate server = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, notBefore(), notAfter(),
                new X500Name("CN=127.0.0.1"), serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)),
                caKeys.getPrivate());

        Path caPem = Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        Path chain = Files.writeString(dir.resolve("server-chain.pem"),
                pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
        Path key = Files.writeString(dir.resolve("server-key.pem"), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));

        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("imagehub-test-ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        X509TrustManager trust = (X509TrustManager) factory.getTrustManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return new TestCertificates(caPem, chain, key, trust, context);
    }

    /** The authority's certificate (for NODE_EXTRA_CA_CERTS, curl --cacert, ...). */
    public Path caPem() {
        return caPem;
    }

    public Path serverChainPem() {
        return serverChainPem;
    }

    public Path serverKeyPem() {
        return serverKeyPem;
    }

    /** Trusts the authority only. */
    public X509TrustManager trustManager() {
        return trust;
    }

    /** A TLS context that trusts the authority only. */
    public SSLContext sslContext() {
        return sslContext;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
