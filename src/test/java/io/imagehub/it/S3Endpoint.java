package io.imagehub.it;

import ch.qos.logback.classic.Level;
import io.imagehub.blob.S3ChunkStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 endpoint in the test JVM: s3proxy on a free loopback port over jclouds' filesystem store (chunks on disk,
 * not in the test's heap: a 512 MiB image and its copy would not fit). {@code middleware} may wrap the blob store
 * (s3proxy's own middlewares are {@code ForwardingBlobStore}s), e.g. to inject latency or errors.
 */
public final class S3Endpoint implements AutoCloseable {
    public static final String ACCESS_KEY = "cluster-access";
    public static final String SECRET_KEY = "cluster-secret";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final S3Client client;

    public S3Endpoint(Path directory, UnaryOperator<BlobStore> middleware) throws Exception {
        quietLogging("org.gaul", "org.jclouds", "software.amazon.awssdk");
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, directory.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(properties).credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(middleware.apply(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:0")) // port 0: the OS picks a free one
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        client = S3ChunkStore.clientBuilder(endpoint(), REGION, ACCESS_KEY, SECRET_KEY)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The s3proxy loggers log every request at DEBUG unless told otherwise. */
    private static void quietLogging(String... loggerNames) {
        for (String name : loggerNames) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(Level.WARN);
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** Every object key in {@code bucket}. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    /** A client of the endpoint with its keys, for a test that reads or changes objects behind the nodes' backs. */
    public S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
        context.close();
    }
}
