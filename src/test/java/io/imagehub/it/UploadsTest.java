package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStore;
import io.imagehub.formats.TinyQcow2;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Local files: ImportImage with ImagehubUploadSizeBytes, the PUT of the bytes to the signed URL, downloads. */
class UploadsTest {
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final String GZ = "ap-guangzhou";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anUploadedFileBecomesANormalImageWithTheFilesDigestAndDownloadsVerified() throws Exception {
        try (TestServer server = new TestServer()) {
            TestServer.Account alice = server.createAccount("uploader");
            RawClient api = new RawClient(server, alice);
            byte[] disk = ImageBytes.disk(2 * CHUNK + 12345, 21);
            JsonNode opened = openUpload(api, "local", disk.length);
            String imageId = opened.get("ImageId").asText();
            assertThat(state(api, imageId)).isEqualTo("IMPORTING");

            JsonNode done = put(server, opened.get("ImagehubUploadUrl").asText(), disk);

            String digest = "sha256:" + Tc3Signer.sha256Hex(disk);
            assertThat(done.get("ImagehubSha256").asText()).isEqualTo(digest);
            assertThat(done.get("ImagehubSizeBytes").asLong()).isEqualTo(disk.length);
            assertThat(state(api, imageId)).isEqualTo("NORMAL");
            assertThat(ImageBytes.digest(api, GZ, imageId)).isEqualTo(digest);
            assertThat(api.call("DescribeImages", GZ, "{\"ImageIds\":[\"" + imageId + "\"]}")
                    .at("/ImageSet/0/ImagehubLineage/Kind").asText()).isEqualTo("UPLOADED");

            JsonNode download = api.call("ImagehubDescribeImageDownload", GZ, "{\"ImageId\":\"" + imageId + "\"}");
            assertThat(download.get("ImagehubSha256").asText()).isEqualTo(digest);
            HttpResponse<byte[]> bytes = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + server.endpoint() + download.get("DownloadUrl").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.headers().firstValue("X-Imagehub-Sha256")).hasValue(digest);
            assertThat(Arrays.equals(bytes.body(), disk)).isTrue();

            assertThat(RawClient.errorCode(put(server, opened.get("ImagehubUploadUrl").asText(), disk)))
                    .as("an upload takes its bytes once").isEqualTo("InvalidParameterValue.InvalidImageState");
        }
    }

    @Test
    void anUploadedQcow2IsInspectedLikeAnImportAndReportedByItsVirtualSize() throws Exception {
        try (TestServer server = new TestServer()) {
            RawClient api = new RawClient(server, server.createAccount("qcow2-uploader"));
            long virtual = (20L << 30) + 512;
            byte[] disk = TinyQcow2.of(ImageBytes.disk(1 << 20, 22), virtual);
            JsonNode opened = openUpload(api, "local-qcow2", disk.length);
            put(server, opened.get("ImagehubUploadUrl").asText(), disk);
            JsonNode image = api.call("DescribeImages", GZ,
                    "{\"ImageIds\":[\"" + opened.get("ImageId").asText() + "\"]}").at("/ImageSet/0");
            assertThat(image.get("ImageState").asText()).isEqualTo("NORMAL");
            assertThat(image.get("ImagehubDiskFormat").asText()).isEqualTo("qcow2");
            assertThat(image.get("ImagehubVirtualSizeBytes").asLong()).isEqualTo(virtual);
            assertThat(image.get("ImageSize").asLong()).isEqualTo(21);
        }
    }

    @Test
    void aBrokenOrForgedUploadChangesNothingAndCanBeSentAgain() throws Exception {
        try (TestServer server = new TestServer(c -> {
            c.gcGraceSeconds = 0;
            c.gcIntervalSeconds = 0;
        })) {
            RawClient api = new RawClient(server, server.createAccount("retry"));
            byte[] disk = ImageBytes.disk(CHUNK + 7, 22);
            JsonNode opened = openUpload(api, "retry", disk.length);
            String url = opened.get("ImagehubUploadUrl").asText();
            String imageId = opened.get("ImageId").asText();

            assertThat(RawClient.errorCode(put(server, url.replaceAll("Signature=[0-9a-f]{4}", "Signature=0000"),
                    disk))).isEqualTo("AuthFailure.SignatureFailure");
            assertThat(RawClient.errorCode(put(server, url.replaceAll("Expires=\\d+", "Expires=99999999999"), disk)))
                    .as("the expiry is signed").isEqualTo("AuthFailure.SignatureFailure");
            assertThat(RawClient.errorCode(put(server, url, Arrays.copyOf(disk, disk.length - 1))))
                    .isEqualTo("InvalidParameterValue");
            assertThat(RawClient.errorCode(putStreamed(server, url, Arrays.copyOf(disk, CHUNK))))
                    .as("a body without a length that ends early").isEqualTo("InvalidParameterValue");
            assertThat(state(api, imageId)).isEqualTo("IMPORTING");
            server.node().garbageCollector().run();
            assertThat(server.node().chunkStores().forRegion(GZ).contains(Tc3Signer.sha256Hex(Arrays.copyOf(disk, CHUNK))))
                    .as("an open upload's chunks are kept").isTrue();

            assertThat(put(server, url, disk).get("ImagehubSha256").asText())
                    .isEqualTo("sha256:" + Tc3Signer.sha256Hex(disk));
            assertThat(state(api, imageId)).isEqualTo("NORMAL");
        }
    }

    @Test
    void uploadsAreBoundedPerAccountAndInSizeAndUnknownToOthers() throws Exception {
        try (TestServer server = new TestServer(c -> c.maxUploadsPerAccount = 2)) {
            RawClient alice = new RawClient(server, server.createAccount("bounded"));
            RawClient bob = new RawClient(server, server.createAccount("other"));
            String first = openUpload(alice, "one", 10).get("ImageId").asText();
            openUpload(alice, "two", 10);
            assertThat(RawClient.errorCode(openUpload(alice, "three", 10))).isEqualTo("LimitExceeded");
            assertThat(RawClient.errorCode(openUpload(bob, "big", 1L << 50))).isEqualTo("InvalidParameterValue");
            assertThat(RawClient.errorCode(alice.call("ImportImage", GZ, "{\"ImageName\":\"both\","
                    + "\"OsType\":\"CentOS\",\"OsVersion\":\"7\",\"Architecture\":\"x86_64\","
                    + "\"ImageUrl\":\"http://x/y\",\"ImagehubUploadSizeBytes\":10}")))
                    .isEqualTo("InvalidParameterConflict");
            assertThat(RawClient.errorCode(bob.call("ImagehubDescribeImageDownload", GZ,
                    "{\"ImageId\":\"" + first + "\"}"))).isEqualTo("InvalidImageId.NotFound");
        }
    }

    @Test
    void anUploadNeverCompletedFailsWhenItExpiresAndItsChunksAreCollected() throws Exception {
        try (TestServer server = new TestServer(c -> {
            c.uploadExpirySeconds = 2;
            c.gcGraceSeconds = 0;
            c.gcIntervalSeconds = 0;
        })) {
            RawClient api = new RawClient(server, server.createAccount("abandoned"));
            ChunkStore blobs = server.node().chunkStores().forRegion(GZ);
            Set<String> before = chunks(blobs);
            byte[] disk = ImageBytes.disk(3 * CHUNK, 23);
            JsonNode opened = openUpload(api, "abandoned", disk.length);
            putStreamed(server, opened.get("ImagehubUploadUrl").asText(), Arrays.copyOf(disk, 2 * CHUNK));
            assertThat(chunks(blobs)).as("the partial upload stored chunks").hasSizeGreaterThan(before.size());

            String imageId = opened.get("ImageId").asText();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!state(api, imageId).equals("IMPORTFAILED") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(state(api, imageId)).isEqualTo("IMPORTFAILED");
            // the expiry job holds the cutoff until it is marked done, just after it failed the image
            while (!chunks(blobs).equals(before) && Instant.now().isBefore(deadline)) {
                server.node().garbageCollector().run();
                Thread.sleep(100);
            }
            assertThat(chunks(blobs)).isEqualTo(before);
        }
    }

    static JsonNode openUpload(RawClient api, String name, long size) {
        return api.call("ImportImage", GZ, "{\"ImageName\":\"" + name + "\",\"OsType\":\"CentOS\","
                + "\"OsVersion\":\"7\",\"Architecture\":\"x86_64\",\"ImagehubUploadSizeBytes\":" + size + "}");
    }

    private static String state(RawClient api, String imageId) {
        return api.call("DescribeImages", GZ, "{\"ImageIds\":[\"" + imageId + "\"]}").at("/ImageSet/0/ImageState")
                .asText();
    }

    static JsonNode put(TestServer server, String path, byte[] body) throws Exception {
        return response(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Sent chunked, without a Content-Length: the server learns the length only at the end. */
    private static JsonNode putStreamed(TestServer server, String path, byte[] body) throws Exception {
        return response(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + path))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode response(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("Response");
    }

    private static Set<String> chunks(ChunkStore store) throws Exception {
        Set<String> all = new HashSet<>();
        store.forEach(all::add);
        return all;
    }
}
