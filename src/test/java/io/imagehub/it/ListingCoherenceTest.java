package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DescribeImages cache (docs/adr/0008-listing-cache.md) on two nodes over one PostgreSQL: node A caches answers
 * (the default), node B does not. A cached answer is byte for byte what an uncached one would be, and a change made
 * through either node reaches A's next answer, because the cache is keyed by listing versions kept in the database.
 */
class ListingCoherenceTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SHARED_LISTING = "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"SHARED_IMAGE\"]}]}";
    private static final String OWN_LISTING = "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"PRIVATE_IMAGE\"]}]}";

    private static EmbeddedPostgres postgres;
    private static FileServer files;
    private static Path masterKey;
    private static TestServer cachingNode;
    private static TestServer uncachedNode;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        files = new FileServer();
        // the first node writes the key that encrypts stored SecretKeys, the second reads it: both check all keys
        masterKey = Files.createTempDirectory("imagehub-keys").resolve("master.key");
        // one after the other: the first migrates the schema and seeds the public images
        cachingNode = node(new ServerConfig().listingCacheMib);
        uncachedNode = node(0);
    }

    private static TestServer node(int listingCacheMib) throws Exception {
        return TestServer.importingFrom(files, c -> {
            c.dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            c.dbUser = "postgres";
            c.masterKeyFile = masterKey;
            c.listingCacheMib = listingCacheMib;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        cachingNode.close();
        uncachedNode.close();
        files.close();
        postgres.close();
        TestServer.deleteTree(masterKey.getParent());
    }

    @Test
    void aCachedListingIsExactlyTheFreshOneAndEveryChangeOnEitherNodeReachesIt() throws Exception {
        TestServer.Account owner = cachingNode.createAccount("owner");
        TestServer.Account recipient = cachingNode.createAccount("recipient");
        CvmClient ownerOnB = uncachedNode.client(owner, GZ);
        String imageId = Images.importReady(ownerOnB, files.put("cache.raw", FoundationTest.randomBytes(4096)), "v1");
        Shares.share(ownerOnB, imageId, recipient.accountId());
        RawClient recipientOnA = new RawClient(cachingNode, recipient);
        RawClient recipientOnB = new RawClient(uncachedNode, recipient);
        RawClient ownerOnA = new RawClient(cachingNode, owner);

        String built = withoutRequestId(recipientOnA.callForEnvelope("DescribeImages", GZ, SHARED_LISTING));
        String cached = withoutRequestId(recipientOnA.callForEnvelope("DescribeImages", GZ, SHARED_LISTING));
        String uncached = withoutRequestId(recipientOnB.callForEnvelope("DescribeImages", GZ, SHARED_LISTING));
        assertThat(built).contains(imageId, "\"ImageName\":\"v1\"", "\"TotalCount\":1");
        assertThat(cached).isEqualTo(built);
        assertThat(uncached).isEqualTo(built);

        // A write that bypasses imagehub bumps no version: A keeps answering from its cache, B reads the table.
        renameBehindImagehubsBack(imageId, "bypass");
        assertThat(withoutRequestId(recipientOnA.callForEnvelope("DescribeImages", GZ, SHARED_LISTING)))
                .isEqualTo(built);
        assertThat(recipientOnB.callForEnvelope("DescribeImages", GZ, SHARED_LISTING)).contains("\"ImageName\":\"bypass\"");

        assertThat(ownerOnA.callForEnvelope("DescribeImages", GZ, OWN_LISTING)).contains("\"ImageName\":\"bypass\"");
        Images.rename(ownerOnB, imageId, "v2");
        assertThat(recipientOnA.callForEnvelope("DescribeImages", GZ, SHARED_LISTING)).contains("\"ImageName\":\"v2\"");
        assertThat(ownerOnA.callForEnvelope("DescribeImages", GZ, OWN_LISTING)).contains("\"ImageName\":\"v2\"");

        Shares.cancel(ownerOnB, imageId, recipient.accountId());
        assertThat(recipientOnA.callForEnvelope("DescribeImages", GZ, SHARED_LISTING))
                .doesNotContain(imageId).contains("\"TotalCount\":0");

        Shares.delete(ownerOnB, imageId);
        assertThat(ownerOnA.callForEnvelope("DescribeImages", GZ, OWN_LISTING))
                .doesNotContain(imageId).contains("\"TotalCount\":0");
    }

    private static String withoutRequestId(String envelope) {
        assertThat(envelope).contains("\"RequestId\":\"");
        return envelope.replaceFirst("\"RequestId\":\"[0-9a-f-]{36}\"", "\"RequestId\":\"-\"");
    }

    private static void renameBehindImagehubsBack(String imageId, String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE images SET image_name = ? WHERE image_id = ?")) {
            update.setString(1, name);
            update.setString(2, imageId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
