package io.imagehub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.SyncImagesRequest;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.DirectoryChunkStore;
import io.imagehub.client.SignedClient;
import io.imagehub.config.StoreConfig;
import io.imagehub.formats.DiskInspection;
import io.imagehub.it.Images;
import io.imagehub.it.TestServer;
import io.imagehub.it.ThrottledFileServer;
import io.imagehub.jobs.ImageIngest;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The data-plane figures of docs/performance.md (data plane), each beside its bare peer measured in the same run:
 * ImportImage of a file and its upload through the CLI's HTTP path (SignedClient, the signed PUT) vs reading and
 * hashing it; SyncImages between two directory stores vs cp + sync; a sync whose destination already holds all but
 * one chunk; a sync between regions on one store; SyncImages between two S3 buckets (s3proxy on files) vs a bare AWS
 * SDK multipart copy between the same buckets. Run with bench/dataplane.sh.
 * Not a test: nothing here is asserted, and mvn verify does not run it.
 */
public final class DataPlaneBench {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String BJ = "ap-beijing";
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final int S3_PART = 16 * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path work = Files.createTempDirectory("imagehub-bench");
        try {
            run(work, mib);
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
        }
    }

    private static void run(Path work, int mib) throws Exception {
        Path disk = work.resolve("disk.raw");
        Path diskV2 = work.resolve("disk-v2.raw");
        writeDisk(disk, mib);
        Files.copy(disk, diskV2);
        try (RandomAccessFile v2 = new RandomAccessFile(diskV2.toFile(), "rw")) { // change only the last chunk
            v2.seek(v2.length() - 1);
            int last = v2.read();
            v2.seek(v2.length() - 1);
            v2.write(last ^ 1);
        }
        dropCaches();
        long bare = time(() -> sha256(disk));
        report("read + SHA-256 of the file (peer of import)", mib, bare);
        long inspectOnly = time(() -> inspect(disk));
        report("read + format inspection of the file (page cache)", mib, inspectOnly);
        long readOnly = time(() -> inspect(disk, null));
        report("read of the file (page cache; inspection's baseline)", mib, readOnly);
        long imported;
        long ingested;
        long uploaded;
        long durableCopy;
        long synced;

        try (ThrottledFileServer files = new ThrottledFileServer(); TestServer server = new TestServer(c -> {
            c.importAllow.add(files.baseUrl());
            c.gcIntervalSeconds = 0;
            c.stores = Map.of("one", StoreConfig.directory(work.resolve("store-one")),
                    "two", StoreConfig.directory(work.resolve("store-two")));
            c.regionStore = Map.of(GZ, "one", BJ, "one", SH, "two");
        })) {
            TestServer.Account account = server.createAccount("bench");
            CvmClient gz = server.client(account, GZ);
            String[] image = new String[1];
            imported = time(() -> image[0] = Images.importReady(gz, files.put("disk.raw", disk), "bench"));
            report("ImportImage (HTTP on loopback -> directory store, one flush)", mib, imported);
            ChunkStore scratch = new DirectoryChunkStore(work.resolve("store-ingest"));
            ingested = time(() -> {
                try (InputStream in = Files.newInputStream(disk)) {
                    new ImageIngest(DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES).ingest(in, scratch, bytes -> { });
                }
            });
            report("ImageIngest of the local file (the upload path's server side, no HTTP)", mib, ingested);
            uploaded = time(() -> upload(server, account, disk));
            report("upload: ImportImage + PUT of the file through SignedClient (the CLI's path)", mib, uploaded);

            Path copy = work.resolve("cp-copy.raw");
            report("cp of the file (peer of sync)", mib, time(() -> exec("cp", disk.toString(), copy.toString())));
            Files.delete(copy);
            durableCopy = time(() -> exec("sh", "-c", "cp '" + disk + "' '" + copy + "' && sync '" + copy + "'"));
            report("cp + sync of the file (peer of sync, durable)", mib, durableCopy);
            Files.delete(copy);

            ChunkStore two = server.node().chunkStores().forRegion(SH);
            long before = two.chunksWritten();
            synced = time(() -> sync(server, account, image[0], SH, "full"));
            report("SyncImages between two directory stores", mib, synced);
            System.out.printf("    chunks written: %d%n", two.chunksWritten() - before);

            String[] v2 = new String[1];
            Images.importReady(gz, files.put("disk-v2.raw", diskV2), "bench-v2");
            v2[0] = Images.importReady(gz, files.put("disk-v2b.raw", diskV2), "bench-v2b");
            before = two.chunksWritten();
            report("SyncImages, destination already holds all chunks but one", mib,
                    time(() -> sync(server, account, v2[0], SH, "delta")));
            System.out.printf("    chunks written: %d%n", two.chunksWritten() - before);

            report("SyncImages between regions sharing one store", mib,
                    time(() -> sync(server, account, image[0], BJ, "same-store")));
        }
        s3(work, disk, mib);
        System.out.printf("    inspection costs %.1f%% of the import's time (inspection minus plain read, over import)%n",
                100.0 * Math.max(0, inspectOnly - readOnly) / imported);
        System.out.printf("dataplane: import %d%% of read+hash, upload %d%% of read+hash, sync %d%% of cp+sync%n",
                Math.round(100.0 * bare / imported), Math.round(100.0 * bare / uploaded),
                Math.round(100.0 * durableCopy / synced));
    }

    /** What `bin/imagehub image import FILE` does: ImportImage with the file's size, then the PUT of its bytes. */
    private static void upload(TestServer server, TestServer.Account account, Path disk) throws Exception {
        SignedClient client = new SignedClient(SignedClient.endpoint(server.endpoint()), account.secretId(),
                account.secretKey(), "en-US", Duration.ofMinutes(5));
        JsonNode opened = client.call("ImportImage", GZ, JsonNodeFactory.instance.objectNode().put("ImageName", "upload")
                .put("OsType", "CentOS").put("OsVersion", "7").put("Architecture", "x86_64")
                .put("ImagehubUploadSizeBytes", Files.size(disk)));
        JsonNode done = client.upload(opened.path("ImagehubUploadUrl").asText(), disk, sent -> { });
        if (!done.path("ImagehubSha256").asText().startsWith("sha256:")) {
            throw new IllegalStateException("upload answered " + done);
        }
    }

    /**
     * SyncImages between two regions on two buckets of one s3proxy (jclouds filesystem provider under {@code work}),
     * next to a bare multipart copy (UploadPartCopy, 8 parts in flight, as the sync has 8 chunks in flight) of the
     * file's object between the same buckets.
     */
    private static void s3(Path work, Path disk, int mib) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(work.resolve("s3")).toString());
        try (BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .credentials("identity", "credential").build(BlobStoreContext.class)) {
            S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
            proxy.start();
            URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .httpClient(UrlConnectionHttpClient.create()).build();
                 ThrottledFileServer files = new ThrottledFileServer()) {
                for (String bucket : List.of("chunks-a", "chunks-b", "bare-a", "bare-b")) {
                    s3.createBucket(b -> b.bucket(bucket));
                }
                try (TestServer server = new TestServer(c -> {
                    c.importAllow.add(files.baseUrl());
                    c.gcIntervalSeconds = 0;
                    c.stores = Map.of("a", s3Store(endpoint, "chunks-a"), "b", s3Store(endpoint, "chunks-b"));
                    c.regionStore = Map.of(GZ, "a", SH, "b");
                })) {
                    TestServer.Account account = server.createAccount("bench-s3");
                    String[] image = new String[1];
                    report("ImportImage into an S3 store (s3proxy)", mib, time(() -> image[0] = Images.importReady(
                            server.client(account, GZ), files.put("disk.raw", disk), "bench-s3")));
                    long synced = time(() -> sync(server, account, image[0], SH, "s3"));
                    report("SyncImages between two S3 buckets (s3proxy)", mib, synced);
                    multipartUpload(s3, "bare-a", "disk.raw", disk);
                    long copied = time(() -> multipartCopy(s3, "bare-a", "bare-b", "disk.raw", Files.size(disk)));
                    report("bare AWS SDK multipart copy between two buckets (same s3proxy)", mib, copied);
                    System.out.printf("    S3 sync at %d%% of the bare multipart copy%n", Math.round(100.0 * copied / synced));
                }
            } finally {
                proxy.stop();
            }
        }
    }

    private static StoreConfig s3Store(URI endpoint, String bucket) {
        return new StoreConfig(StoreConfig.S3, null, endpoint.toString(), "us-east-1", "access", "secret", bucket, "");
    }

    /** The bare copy's source object, in parts (s3proxy refuses a single PUT this large). */
    private static void multipartUpload(S3Client s3, String bucket, String key, Path file) throws Exception {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        byte[] part = new byte[S3_PART];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            for (int number = 1; (n = in.readNBytes(part, 0, part.length)) > 0; number++) {
                int partNumber = number;
                String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(part, n))).eTag();
                completed.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            }
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
    }

    private static void multipartCopy(S3Client s3, String from, String to, String key, long size) throws Exception {
        long part = S3_PART;
        String uploadId = s3.createMultipartUpload(b -> b.bucket(to).key(key)).uploadId();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (int number = 1; (number - 1) * part < size; number++) {
                int n = number;
                long first = (n - 1) * part;
                long last = Math.min(size, first + part) - 1;
                parts.add(threads.submit(() -> CompletedPart.builder().partNumber(n).eTag(s3.uploadPartCopy(b -> b
                        .sourceBucket(from).sourceKey(key).destinationBucket(to).destinationKey(key).uploadId(uploadId)
                        .partNumber(n).copySourceRange("bytes=" + first + "-" + last)).copyPartResult().eTag()).build()));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> p : parts) {
                completed.add(p.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(to).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } finally {
            threads.shutdown();
        }
    }

    /** Streams the file through a {@link DiskInspection} (or, with null, only reads it), as an import reads it. */
    private static void inspect(Path file) throws Exception {
        inspect(file, new DiskInspection(DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES));
    }

    private static void inspect(Path file, DiskInspection inspection) throws Exception {
        byte[] buffer = new byte[64 * 1024]; // the size of an HTTP body read
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (inspection != null) {
                    inspection.accept(buffer, 0, n);
                }
            }
        }
        if (inspection != null) {
            inspection.finish();
        }
    }

    private static void sync(TestServer server, TestServer.Account account, String imageId, String region, String name)
            throws Exception {
        SyncImagesRequest request = new SyncImagesRequest();
        request.setImageIds(new String[] {imageId});
        request.setDestinationRegions(new String[] {region});
        request.setImageName(name);
        request.setImageSetRequired(true);
        String copy = server.client(account, GZ).SyncImages(request).getImageSet()[0].getImageId();
        String state = Images.awaitSettled(server.client(account, region), copy).getImageState();
        if (!state.equals("NORMAL")) {
            throw new IllegalStateException("sync ended " + state);
        }
    }

    private static void writeDisk(Path file, int mib) throws Exception {
        Random random = new Random(7);
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib / 4; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Best effort (needs root): measure from disk rather than the page cache where we can. */
    private static void dropCaches() {
        try {
            exec("sh", "-c", "sync && echo 1 > /proc/sys/vm/drop_caches");
        } catch (Exception e) {
            System.out.println("    (page cache not dropped: " + e.getMessage() + ")");
        }
    }

    private static void exec(String... command) throws Exception {
        int rc = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + rc);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static void report(String what, int mib, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("%-70s %8.2f s %9.1f MiB/s%n", what, seconds, mib / seconds);
    }
}
