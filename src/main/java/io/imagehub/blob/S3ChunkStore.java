package io.imagehub.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chunks as objects {@code <prefix>chunks/ab/<sha256>} in an S3 bucket (AWS or any S3-compatible endpoint).
 *
 * <p>A put first asks whether the chunk exists, because most chunks of a new image version are already
 * stored and a HEAD is far cheaper than uploading 4 MiB. It then uploads with {@code If-None-Match: *} so
 * that, on endpoints that honour it, exactly one of several concurrent writers reports the chunk as new.
 * Endpoints that ignore the header (s3proxy 2.6.0 does) may count a racing chunk twice; the stored bytes are
 * the same either way, since the key is their digest.
 *
 * <p>Failed calls are retried with backoff as {@link S3Retries} says; what still fails is reported as a
 * {@link ChunkStoreException}, an {@link IOException} like the failures of every other store.
 */
public final class S3ChunkStore implements ChunkStore, AutoCloseable {

    private static final int PRECONDITION_FAILED = 412;
    private static final int NOT_FOUND = 404;
    private static final int NOT_IMPLEMENTED = 501;

    private final S3Client client;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;
    private final AtomicLong chunksWritten = new AtomicLong();
    /** Cleared once the endpoint rejects If-None-Match, so that later puts do not pay for the rejection. */
    private volatile boolean conditionalPutSupported = true;

    /** A store on a client the caller keeps ownership of; {@code prefix} gets a trailing '/' if it lacks one. */
    public S3ChunkStore(S3Client client, String bucket, String prefix) {
        this(client, false, bucket, prefix);
    }

    private S3ChunkStore(S3Client client, boolean ownsClient, String bucket, String prefix) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * A store with its own client, closed by {@link #close()}. Path-style addressing and checksums only
     * when required keep it compatible with S3-compatible servers (s3proxy, MinIO, Ceph) that lack
     * virtual-host buckets or the SDK's default trailing CRC checksums.
     */
    public static S3ChunkStore connect(URI endpoint, String region, String accessKey, String secretKey,
                                       String bucket, String prefix) {
        return connect(endpoint, region, accessKey, secretKey, bucket, prefix, S3Retries.DEFAULT);
    }

    /** As above, retrying failed calls as {@code retries} says. */
    public static S3ChunkStore connect(URI endpoint, String region, String accessKey, String secretKey,
                                       String bucket, String prefix, S3Retries retries) {
        S3Client client = clientBuilder(endpoint, region, accessKey, secretKey, retries)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new S3ChunkStore(client, true, bucket, prefix);
    }

    /** The client settings of {@link #connect}, less the HTTP client (tests wrap it to inject faults). */
    public static S3ClientBuilder clientBuilder(URI endpoint, String region, String accessKey, String secretKey) {
        return clientBuilder(endpoint, region, accessKey, secretKey, S3Retries.DEFAULT);
    }

    static S3ClientBuilder clientBuilder(URI endpoint, String region, String accessKey, String secretKey,
                                         S3Retries retries) {
        return S3Client.builder()
                .overrideConfiguration(retries::applyTo)
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }

    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        if (refresh(sha256)) {
            return false;
        }
        String key = keyOf(sha256);
        boolean written = translated(() -> {
            if (conditionalPutSupported) {
                return putIfAbsent(key, data, length);
            }
            putUnconditionally(key, data, length);
            return true;
        });
        if (written) {
            chunksWritten.incrementAndGet();
        }
        return written;
    }

    private boolean putIfAbsent(String key, byte[] data, int length) {
        try {
            client.putObject(putRequest(key, length).ifNoneMatch("*").build(), body(data, length));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED) {
                return false; // a concurrent writer stored it between our HEAD and our PUT
            }
            if (rejectsConditionalPut(e)) {
                conditionalPutSupported = false;
                putUnconditionally(key, data, length);
                return true;
            }
            throw e;
        }
    }

    private static boolean rejectsConditionalPut(S3Exception e) {
        return e.statusCode() == NOT_IMPLEMENTED
                || e.awsErrorDetails() != null && "NotImplemented".equals(e.awsErrorDetails().errorCode());
    }

    private void putUnconditionally(String key, byte[] data, int length) {
        client.putObject(putRequest(key, length).build(), body(data, length));
    }

    private PutObjectRequest.Builder putRequest(String key, int length) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) length);
    }

    /** Streams straight from the caller's buffer; RequestBody.fromBytes would copy the chunk first. */
    private static RequestBody body(byte[] data, int length) {
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(data, 0, length), length, "application/octet-stream");
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        String key = keyOf(sha256);
        return translated(() -> {
            try {
                byte[] data = client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArrayUnsafe();
                return Sha256.verified(sha256, data);
            } catch (NoSuchKeyException e) {
                throw new ChunkNotFoundException(sha256);
            }
        });
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        String key = keyOf(sha256);
        return translated(() -> {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        }, false);
    }

    /** S3 has no touch: copying the object onto itself with replaced metadata gives it a new LastModified. */
    @Override
    public boolean refresh(String sha256) throws IOException {
        String key = keyOf(sha256);
        return translated(() -> {
            client.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
                    .destinationKey(key).metadataDirective(MetadataDirective.REPLACE)
                    .metadata(Map.of("refreshed", Instant.now().toString())));
            return true;
        }, false);
    }

    @Override
    public Instant lastModified(String sha256) throws IOException {
        String key = keyOf(sha256);
        return translated(() -> client.headObject(b -> b.bucket(bucket).key(key)).lastModified(), null);
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = keyOf(sha256);
        translated(() -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public void forEach(Consumer<String> sink) throws IOException {
        translated(() -> {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "chunks/")).contents()) {
                String name = object.key().substring(object.key().lastIndexOf('/') + 1);
                if (Sha256.isValid(name)) {
                    sink.accept(name);
                }
            }
            return null;
        });
    }

    @Override
    public long chunksWritten() {
        return chunksWritten.get();
    }

    /** Independent of the endpoint, so that one bucket reached through different endpoints is one store. */
    @Override
    public String id() {
        return "s3:" + bucket + "/" + prefix;
    }

    String keyOf(String sha256) {
        Sha256.requireValid(sha256);
        return prefix + "chunks/" + sha256.substring(0, 2) + "/" + sha256;
    }

    /** Closes the client if {@link #connect} created it; a client passed in stays the caller's to close. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return id();
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws IOException;
    }

    /** Runs {@code call}; a 404 from S3 answers {@code ifMissing}, any other S3 failure becomes an IOException. */
    private static <T> T translated(S3Call<T> call, T ifMissing) throws IOException {
        try {
            return translated(call);
        } catch (IOException e) {
            if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == NOT_FOUND) {
                return ifMissing;
            }
            throw e;
        }
    }

    private static <T> T translated(S3Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new ChunkStoreException(e.getMessage(), e);
        }
    }
}
