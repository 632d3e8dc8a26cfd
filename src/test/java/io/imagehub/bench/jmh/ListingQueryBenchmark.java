package io.imagehub.bench.jmh;

import io.imagehub.domain.ImageQuery;
import io.imagehub.domain.ImageRepository;
import io.imagehub.domain.ImageView;
import io.imagehub.domain.Page;
import io.imagehub.domain.Transactions;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The listing query of DescribeImages, {@link ImageRepository#search} in one read transaction of the store's
 * {@link Transactions} port, as ImageService.describe runs it: the page, its TotalCount and the page's tags. In the
 * final JFR profiles of the owner listing the page query and the count were 11% and 10% of the server's samples
 * (docs/performance.md); {@code -p images=100000} shows whether the cost stays flat as the table grows.
 *
 * <p>Data: bench/generate's population ({@code images} images, default 10,000) in a real H2 file database, see
 * {@link NodeFixture}; each of the 16 owners asked in turn holds 500 images, 50 of them shared with its recipient.
 */
public class ListingQueryBenchmark extends BenchmarkSettings {
    @Param("10000")
    public int images;

    private NodeFixture node;
    private Transactions transactions;
    /** One query per fixture owner (recipient), asked in turn: see {@link NodeFixture#fixtureAccounts}. */
    private ImageQuery[] ownerPages;
    private ImageQuery[] recipientPages;
    private int next;

    @Setup
    public void setUp() throws Exception {
        node = NodeFixture.generated(images);
        transactions = node.transactions();
        String region = node.region();
        // what ImageActions asks for {"Limit":20} and for image-type SHARED_IMAGE with Limit 100
        ownerPages = node.fixtureAccounts("Owner").stream().map(owner -> new ImageQuery(owner.accountId(), region,
                ImageQuery.ALL_KINDS, List.of(), List.of(), List.of(), List.of(), 0, 20)).toArray(ImageQuery[]::new);
        recipientPages = node.fixtureAccounts("Recipient").stream().map(recipient -> new ImageQuery(
                recipient.accountId(), region, Set.of(ImageQuery.SHARED), List.of(), List.of(), List.of(), List.of(), 0,
                100)).toArray(ImageQuery[]::new);
        for (int i = 0; i < ownerPages.length; i++) {
            NodeFixture.expect("owner's page", 20, ownerPage().items().size());
            NodeFixture.expect("recipient's page", 50, recipientPage().items().size());
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        node.close();
    }

    /** The owner's first page of 20 (public, own and shared images, newest first) with the TotalCount. */
    @Benchmark
    public Page<ImageView> ownerPage() {
        ImageQuery query = ownerPages[next = (next + 1) % ownerPages.length];
        return transactions.run(uow -> uow.images().search(query));
    }

    /** The recipient's 50 shared images (one page of up to 100). */
    @Benchmark
    public Page<ImageView> recipientPage() {
        ImageQuery query = recipientPages[next = (next + 1) % recipientPages.length];
        return transactions.run(uow -> uow.images().search(query));
    }
}
