package io.imagehub.bench.jmh;

import io.imagehub.api.RequestAuthenticator;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.domain.AccountService.ResolvedKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The TC3-HMAC-SHA256 check of every API request, {@link RequestAuthenticator#authenticate}: parse the
 * Authorization header, look the key up, canonicalise the request, hash the body, HMAC the string to sign, compare.
 * It runs before any action, on every request; the final JFR profiles of the listings put it at ~8% of the server's
 * samples (docs/performance.md), and caching the derived signing key was one of the optimisations there.
 *
 * <p>The request is a pre-signed DescribeImages ({@code {"Limit":20}}) of a real account made by the real
 * AccountService over a real H2 store; the verifier's clock is fixed at the signing time. The account's key is in
 * AccountService's key cache in both benchmarks (after the first call), so neither measures the database.
 */
public class SignatureBenchmark extends BenchmarkSettings {
    private NodeFixture node;
    private RequestAuthenticator authenticator;
    private SignedRequest request;

    @Setup
    public void setUp() throws Exception {
        node = NodeFixture.withOneAccount();
        Account account = node.createAccount("jmh");
        request = node.sign(account, "DescribeImages", "ap-guangzhou", "{\"Limit\":20}");
        authenticator = node.newAuthenticator();
        NodeFixture.expect("authenticated account", account.accountId(), authenticator.authenticate(request).accountId());
    }

    @TearDown
    public void tearDown() throws Exception {
        node.close();
    }

    /** The usual case: the day's signing key of this SecretId and service is cached (one HMAC and one SHA-256 pair). */
    @Benchmark
    public ResolvedKey warm() {
        return authenticator.authenticate(request);
    }

    /**
     * A signing-key cache miss, as for a key's first request of a UTC day: a verifier with an empty cache derives
     * the key again (three more HMACs). Includes making the verifier, which allocates only its empty cache map.
     */
    @Benchmark
    public ResolvedKey cold() {
        return node.newAuthenticator().authenticate(request);
    }
}
