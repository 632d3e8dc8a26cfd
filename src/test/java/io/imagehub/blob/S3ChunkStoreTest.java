package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Runs the conformance suite against s3proxy serving an in-memory blob store on a free loopback port. */
class S3ChunkStoreTest extends ChunkStoreConformanceTest {

    private static final String ACCESS_KEY = "access";
    private static final String SECRET_KEY = "secret";
    private static final String REGION = "us-east-1";
    private static final String BUCKET = "chunks";
    /** Each test gets its own key prefix, so that listings see only that test's chunks. */
    private static final AtomicInteger prefixes = new AtomicInteger();

    private static BlobStoreContext blobStoreContext;
    private static S3Proxy s3Proxy;
    private static URI endpoint;
    private static S3Client rawClient;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        quietLogging("org.gaul", "org.jclouds", "software.amazon.awssdk");
        blobStoreContext = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        s3Proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0")) // port 0: the OS picks a free one
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3Proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + s3Proxy.getPort());
        rawClient = newClient(endpoint, UrlConnectionHttpClient.create());
        rawClient.createBucket(b -> b.bucket(BUCKET));
    }

    /** Without a logback configuration everything logs at DEBUG: s3proxy alone writes 100k lines a run. */
    private static void quietLogging(String... loggerNames) {
        for (String name : loggerNames) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(Level.WARN);
            }
        }
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (rawClient != null) {
            rawClient.close();
        }
        if (s3Proxy != null) {
            s3Proxy.stop();
        }
        if (blobStoreContext != null) {
            blobStoreContext.close();
        }
    }

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private static S3Client newClient(URI endpoint, SdkHttpClient httpClient) {
        return S3ChunkStore.clientBuilder(endpoint, REGION, ACCESS_KEY, SECRET_KEY).httpClient(httpClient).build();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private S3ChunkStore connect(URI endpoint) {
        return opened(S3ChunkStore.connect(endpoint, REGION, ACCESS_KEY, SECRET_KEY, BUCKET, prefix));
    }

    @Override
    protected ChunkStore createStore() {
        prefix = "test-" + prefixes.incrementAndGet() + "/";
        return connect(endpoint);
    }

    @Override
    protected ChunkStore reopen() {
        return connect(endpoint);
    }

    @Override
    protected void corrupt(String sha256) {
        rawClient.putObject(b -> b.bucket(BUCKET).key(((S3ChunkStore) store).keyOf(sha256)),
                RequestBody.fromBytes(bytes("bit rot")));
    }

    /** s3proxy 2.6.0 ignores If-None-Match on PUT, so racing writers may all see their chunk as new. */
    @Override
    protected boolean countsRacingPutsOnce() {
        return false;
    }

    @Test
    void chunkIsAnObjectUnderThePrefixFannedOutByItsFirstTwoHexDigits() throws Exception {
        String sha256 = put(bytes("where am I"));

        List<String> keys = rawClient.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()
                .stream().map(S3Object::key).toList();

        assertThat(keys).containsExactly(prefix + "chunks/" + sha256.substring(0, 2) + "/" + sha256);
    }

    @Test
    void prefixWithoutTrailingSlashIsADirectory() {
        S3ChunkStore images = new S3ChunkStore(rawClient, BUCKET, "images");

        assertThat(images.id()).isEqualTo("s3:" + BUCKET + "/images/");
        assertThat(images.keyOf(sha256(bytes("x")))).startsWith("images/chunks/");
    }

    @Test
    void idDoesNotDependOnTheEndpoint() throws Exception {
        String sha256 = put(bytes("seen from afar"));
        ChunkStore viaLocalhost = connect(URI.create("http://localhost:" + s3Proxy.getPort()));

        assertThat(viaLocalhost.id()).isEqualTo(store.id());
        assertThat(viaLocalhost.contains(sha256)).isTrue();
    }

    @Test
    void preconditionFailedMeansAnotherWriterStoredTheChunkFirst() throws Exception {
        ConditionalPutRejectingHttpClient http = new ConditionalPutRejectingHttpClient(412, "PreconditionFailed");
        S3ChunkStore racing = new S3ChunkStore(opened(newClient(endpoint, http)), BUCKET, prefix);
        byte[] data = bytes("written by someone else meanwhile");

        assertThat(racing.put(sha256(data), data, data.length)).isFalse();

        assertThat(http.rejected).hasValue(1);
        assertThat(racing.chunksWritten()).isZero();
    }

    @Test
    void endpointRejectingConditionalPutsGetsPlainPutsFromThenOn() throws Exception {
        ConditionalPutRejectingHttpClient http = new ConditionalPutRejectingHttpClient(501, "NotImplemented");
        S3ChunkStore legacy = new S3ChunkStore(opened(newClient(endpoint, http)), BUCKET, prefix);
        byte[] first = bytes("first");
        byte[] second = bytes("second");

        assertThat(legacy.put(sha256(first), first, first.length)).isTrue();
        assertThat(legacy.put(sha256(second), second, second.length)).isTrue();

        assertThat(http.rejected).hasValue(1);
        assertThat(legacy.get(sha256(first))).isEqualTo(first);
        assertThat(legacy.get(sha256(second))).isEqualTo(second);
        assertThat(legacy.chunksWritten()).isEqualTo(2);
    }

    /** Answers PUTs carrying If-None-Match with an S3 error itself; passes every other request to s3proxy. */
    private static final class ConditionalPutRejectingHttpClient implements SdkHttpClient {

        final AtomicInteger rejected = new AtomicInteger();
        private final SdkHttpClient delegate = UrlConnectionHttpClient.create();
        private final int status;
        private final String errorCode;

        ConditionalPutRejectingHttpClient(int status, String errorCode) {
            this.status = status;
            this.errorCode = errorCode;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            SdkHttpRequest http = request.httpRequest();
            if (http.method() != SdkHttpMethod.PUT || http.firstMatchingHeader("If-None-Match").isEmpty()) {
                return delegate.prepareRequest(request);
            }
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    rejected.incrementAndGet();
                    byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + errorCode
                            + "</Code><Message>injected by the test</Message></Error>").getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder()
                                    .statusCode(status)
                                    .putHeader("Content-Type", "application/xml")
                                    .putHeader("Content-Length", String.valueOf(error.length))
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(error)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
