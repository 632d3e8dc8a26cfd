package io.imagehub.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.ApiGateway.Reply;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.bench.BenchSupport.Account;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request through the whole stack except HTTP, {@link ApiGateway#handle}: TC3 check, dispatch, binding the
 * body, the action with its database work, and the JSON envelope. These are bench/run's read scenarios without the
 * HTTP server and the load generator, so a difference between the two is the cost of HTTP and of sharing the two
 * cores with the clients. {@code listingCacheMib} compares a built listing with one answered from the cache.
 *
 * <p>Data: bench/generate's population ({@code images} images, 1,000 accounts, 10,000 shares; default 10,000
 * images as in bench/run) in a real H2 file database, see {@link NodeFixture}. Each of the 16 owners (as in bench/run's
 * 16 clients), asked in turn, holds 500 images, 50 of them shared with its recipient; the public images are seeded by
 * a real start of the node.
 */
public class ApiGatewayBenchmark extends BenchmarkSettings {
    @Param("10000")
    public int images;
    /**
     * 0: every listing is built (query, JSON); the default 32: repeated listings come from the node's DescribeImages
     * cache after a one-row version read (docs/adr/0008-listing-cache.md).
     */
    @Param({"0", "32"})
    public int listingCacheMib;

    private NodeFixture node;
    private ApiGateway gateway;
    /** One request per fixture owner (recipient), sent in turn: see {@link NodeFixture#fixtureAccounts}. */
    private SignedRequest[] describeRegions;
    private SignedRequest[] describeImagesAsOwner;
    private SignedRequest[] describeImagesAsRecipient;
    private int next;

    @Setup
    public void setUp() throws Exception {
        node = NodeFixture.generated(images, listingCacheMib);
        gateway = node.gateway();
        String region = node.region();
        List<Account> owners = node.fixtureAccounts("Owner");
        describeRegions = sign(owners, "DescribeRegions", region, "{}");
        describeImagesAsOwner = sign(owners, "DescribeImages", region, "{\"Limit\":20}");
        describeImagesAsRecipient = sign(node.fixtureAccounts("Recipient"), "DescribeImages", region,
                "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"SHARED_IMAGE\"]}],\"Limit\":100}");
        for (int i = 0; i < owners.size(); i++) {
            NodeFixture.success(describeRegions());
            JsonNode ownerPage = NodeFixture.success(describeImagesAsOwner());
            NodeFixture.expect("owner's page", 20, ownerPage.get("ImageSet").size());
            NodeFixture.expect("owner's TotalCount above the 500 own images", true,
                    ownerPage.get("TotalCount").asLong() > 500);
            NodeFixture.expect("recipient's page", 50, NodeFixture.success(describeImagesAsRecipient()).get("ImageSet").size());
        }
    }

    private SignedRequest[] sign(List<Account> accounts, String action, String region, String body) {
        return accounts.stream().map(a -> node.sign(a, action, region, body)).toArray(SignedRequest[]::new);
    }

    @TearDown
    public void tearDown() throws Exception {
        node.close();
    }

    /** The stack no-op: no domain or database work, a small constant answer. The floor under every request. */
    @Benchmark
    public Reply describeRegions() {
        return gateway.handle(describeRegions[next = (next + 1) % describeRegions.length]);
    }

    /** {"Limit":20} as an owner of 500 images: the page of 20 (own and public images) and its TotalCount. */
    @Benchmark
    public Reply describeImagesAsOwner() {
        return gateway.handle(describeImagesAsOwner[next = (next + 1) % describeImagesAsOwner.length]);
    }

    /** image-type SHARED_IMAGE, Limit 100, as the recipient of 50 shared images: a page of 50. */
    @Benchmark
    public Reply describeImagesAsRecipient() {
        return gateway.handle(describeImagesAsRecipient[next = (next + 1) % describeImagesAsRecipient.length]);
    }
}
