package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three node processes on one PostgreSQL and one S3 endpoint, started with serve's flags as an operator would. */
class ClusterTest {
    private static final String GZ = "ap-guangzhou";

    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Cluster.Options.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anImageImportedThroughOneNodeIsServedByEveryNodeFromTheSharedBucket() throws Exception {
        TestServer.Account alice = cluster.createAccounts("alice", 1).get(0);
        byte[] disk = ImageBytes.disk(9 << 20, 7); // three chunks
        String url = cluster.files().put("three-chunks.raw", disk);
        String imageId = Images.importReady(TestServer.client(cluster.node(0).endpoint(), alice, GZ), url, "shared");

        for (String endpoint : cluster.endpoints()) {
            CvmClient client = TestServer.client(endpoint, alice, GZ);
            assertThat(Images.find(client, imageId).orElseThrow().getImageState()).isEqualTo("NORMAL");
            assertThat(ImageBytes.digest(new RawClient(endpoint, alice.secretId(), alice.secretKey()), GZ, imageId))
                    .isEqualTo("sha256:" + io.imagehub.api.Tc3Signer.sha256Hex(disk));
        }
        assertThat(cluster.balancer().healthy()).containsExactlyInAnyOrderElementsOf(cluster.endpoints());
        List<String> keys = cluster.s3().keys(Cluster.BUCKET);
        assertThat(keys.stream().filter(k -> k.startsWith("chunks/"))).hasSizeGreaterThanOrEqualTo(3);
    }
}
