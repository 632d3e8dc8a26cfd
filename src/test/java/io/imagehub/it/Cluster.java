package io.imagehub.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.app.Imagehub;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jclouds.blobstore.BlobStore;

/**
 * Several imagehub nodes as an operator runs them: real child processes ({@link NodeProcess}) started with
 * {@code serve --config FILE --db-url jdbc:postgresql://... --store s3 --s3-endpoint ... --s3-bucket ...} on one
 * embedded PostgreSQL and one S3 endpoint ({@link S3Endpoint}), sharing the admin token, the master key and the S3
 * keys through the environment, behind a {@link LoadBalancer} that checks their {@code /readyz}. The configuration
 * file holds the timings (job lease, drain, instance transitions) so that failover takes seconds, and maps
 * {@value #FAR_REGION} to a bucket of its own: a SyncImages there moves bytes, between the other regions it is
 * metadata only. Images are served to ImportImage by a {@link FileServer} and a {@link ThrottledFileServer}.
 */
public final class Cluster implements AutoCloseable {
    public static final String ADMIN_TOKEN = "cluster-admin-token";
    public static final String BUCKET = "chunks";
    public static final String FAR_REGION = "ap-shanghai";
    public static final String FAR_BUCKET = "far";
    private static final String FAR_STORE = "far";

    /** How the cluster is made; {@link #defaults()} starts three test nodes with a 2 s lease and a 2 s drain. */
    public record Options(int nodes, long leaseSeconds, long drainSeconds, long copyBytesPerSecond,
                          List<String> jvmOptions, Map<String, Object> config, UnaryOperator<BlobStore> s3Middleware) {
        public static Options defaults() {
            return new Options(3, 2, 2, 0, NodeProcess.TEST_JVM, Map.of(), store -> store);
        }

        public Options nodes(int count) {
            return new Options(count, leaseSeconds, drainSeconds, copyBytesPerSecond, jvmOptions, config, s3Middleware);
        }

        public Options leaseSeconds(long seconds) {
            return new Options(nodes, seconds, drainSeconds, copyBytesPerSecond, jvmOptions, config, s3Middleware);
        }

        public Options drainSeconds(long seconds) {
            return new Options(nodes, leaseSeconds, seconds, copyBytesPerSecond, jvmOptions, config, s3Middleware);
        }

        /** Paces every SyncImages copy (so that a test can catch one half-way); 0: unpaced. */
        public Options copyBytesPerSecond(long rate) {
            return new Options(nodes, leaseSeconds, drainSeconds, rate, jvmOptions, config, s3Middleware);
        }

        public Options jvmOptions(List<String> options) {
            return new Options(nodes, leaseSeconds, drainSeconds, copyBytesPerSecond, options, config, s3Middleware);
        }

        /** Further fields of the nodes' configuration file (ServerConfig's names), e.g. {@code imageQuota}. */
        public Options config(Map<String, Object> fields) {
            return new Options(nodes, leaseSeconds, drainSeconds, copyBytesPerSecond, jvmOptions, fields, s3Middleware);
        }

        /** Wraps the S3 endpoint's blob store (s3proxy middleware), e.g. to inject latency or errors. */
        public Options s3Middleware(UnaryOperator<BlobStore> middleware) {
            return new Options(nodes, leaseSeconds, drainSeconds, copyBytesPerSecond, jvmOptions, config, middleware);
        }
    }

    private final Options options;
    private final Path root;
    private final EmbeddedPostgres postgres;
    private final S3Endpoint s3;
    private final FileServer files;
    private final ThrottledFileServer throttled;
    private final Path configFile;
    private final Map<String, String> env;
    private final List<String> serveArgs;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final LoadBalancer balancer;

    private Cluster(Options options) throws Exception {
        this.options = options;
        this.root = Files.createTempDirectory("imagehub-cluster");
        this.postgres = EmbeddedPostgres.builder().start();
        this.s3 = new S3Endpoint(root.resolve("s3"), options.s3Middleware());
        s3.createBucket(BUCKET);
        s3.createBucket(FAR_BUCKET);
        this.files = new FileServer();
        this.throttled = new ThrottledFileServer();
        this.configFile = writeConfig();
        // every node must hold the key that encrypts stored SecretKeys, or one could not check another's keys; the
        // soak hands its own in (the key of the accounts it seeds), a test gets a random one
        String masterKey = System.getenv("IMAGEHUB_MASTER_KEY");
        if (masterKey == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            masterKey = Base64.getEncoder().encodeToString(random);
        }
        this.env = Map.of("IMAGEHUB_ADMIN_TOKEN", ADMIN_TOKEN, "IMAGEHUB_MASTER_KEY", masterKey,
                "AWS_ACCESS_KEY_ID", S3Endpoint.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Endpoint.SECRET_KEY);
        this.serveArgs = List.of("--config", configFile.toString(),
                "--db-url", jdbcUrl(), "--db-user", "postgres",
                "--store", "s3", "--s3-endpoint", s3.endpoint().toString(), "--s3-bucket", BUCKET);
        try {
            // the first node migrates the schema and seeds the public images; the others start together after it
            nodes.add(startNode(0));
            try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<NodeProcess>> started = new ArrayList<>();
                for (int i = 1; i < options.nodes(); i++) {
                    int index = i;
                    started.add(starting.submit(() -> startNode(index)));
                }
                java.util.concurrent.ExecutionException failed = null;
                for (Future<NodeProcess> node : started) {
                    try {
                        nodes.add(node.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed = e;
                    }
                }
                if (failed != null) {
                    throw failed;
                }
            }
        } catch (Exception e) {
            stopAll(); // a node that did not start must not leave the others (and PostgreSQL) running
            throw e;
        }
        this.balancer = new LoadBalancer(this::endpoints, Duration.ofMillis(100));
    }

    /** Starts the cluster; close it to stop every node (SIGTERM), PostgreSQL and S3, and delete its files. */
    public static Cluster start(Options options) throws Exception {
        return new Cluster(options);
    }

    private Path writeConfig() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("importAllow", List.of(files.baseUrl(), throttled.baseUrl()));
        config.put("jobLeaseSeconds", options.leaseSeconds());
        config.put("drainSeconds", options.drainSeconds());
        config.put("copyBytesPerSecond", options.copyBytesPerSecond());
        config.put("instanceTransitionMillis", 200);
        config.put("gcIntervalSeconds", 0); // a test collects when it means to (inProcessNode)
        config.put("stores", Map.of(FAR_STORE, farStore()));
        config.put("regionStore", Map.of(FAR_REGION, FAR_STORE));
        config.putAll(options.config());
        Path file = root.resolve("imagehub.json");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        return file;
    }

    /** As an operator writes a store in the file (ServerConfig's {@code stores}). */
    private Map<String, String> farStore() {
        return Map.of("type", StoreConfig.S3, "endpoint", s3.endpoint().toString(), "region", S3Endpoint.REGION,
                "accessKey", S3Endpoint.ACCESS_KEY, "secretKey", S3Endpoint.SECRET_KEY, "bucket", FAR_BUCKET);
    }

    private NodeProcess startNode(int index) throws IOException {
        return new NodeProcess(root.resolve("node" + index), env, serveArgs, options.jvmOptions());
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The cluster's PostgreSQL, for a test that inspects what the nodes stored. */
    public DataSource database() {
        return postgres.getPostgresDatabase();
    }

    public S3Endpoint s3() {
        return s3;
    }

    /** Serves small images at full speed (and broken downloads). */
    public FileServer files() {
        return files;
    }

    /** Serves files from disk at a settable rate: imports that can be caught half-way. */
    public ThrottledFileServer throttled() {
        return throttled;
    }

    public LoadBalancer balancer() {
        return balancer;
    }

    public int size() {
        return nodes.size();
    }

    public synchronized NodeProcess node(int index) {
        return nodes.get(index);
    }

    /** host:port of every node, alive or not (the load balancer's server list). */
    public synchronized List<String> endpoints() {
        return nodes.stream().map(NodeProcess::endpoint).toList();
    }

    /** SIGKILL: the node's jobs stay RUNNING under its lease until that runs out. */
    public void kill(int index) throws InterruptedException {
        node(index).kill();
    }

    /** Starts node {@code index} again on its data dir (after a kill or a SIGTERM); it gets a new port. */
    public NodeProcess restart(int index) throws IOException {
        NodeProcess node = startNode(index);
        synchronized (this) {
            nodes.set(index, node);
        }
        return node;
    }

    /** Accounts made through the admin surface of a node the balancer picks. */
    public List<TestServer.Account> createAccounts(String name, int count) {
        return TestServer.createAccounts(balancer.pick(), ADMIN_TOKEN, name, count);
    }

    /** The index of the node that holds the lease of the running job of {@code kind} for {@code imageId}, if any. */
    public OptionalInt nodeRunning(String kind, String imageId) throws SQLException {
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT lease_owner FROM jobs WHERE kind = ? AND image_id = ? AND state = 'RUNNING'")) {
            s.setString(1, kind);
            s.setString(2, imageId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String owner = r.getString(1);
                    for (int i = 0; i < size(); i++) {
                        if (owner != null && owner.startsWith(node(i).pid() + "@")) {
                            return OptionalInt.of(i);
                        }
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /**
     * A node in this JVM on the cluster's database and stores, configured as the others are (plus
     * {@code customize}), without job workers or a periodic collection: for garbage collection and fingerprints.
     */
    public Imagehub inProcessNode(Consumer<ServerConfig> customize) throws IOException {
        ServerConfig config = ServerConfig.load(configFile);
        config.port = 0;
        config.dataDir = root.resolve("in-process");
        config.dbUrl = jdbcUrl();
        config.dbUser = "postgres";
        config.adminToken = ADMIN_TOKEN;
        config.masterKeyFile = root.resolve("in-process.key"); // decrypts no SecretKey: it serves no API calls
        config.jobWorkers = 0;
        // what --store s3 does (NodeOptions): one store for the regions the file does not map
        config.stores.put("s3", new StoreConfig(StoreConfig.S3, null, s3.endpoint().toString(), S3Endpoint.REGION,
                S3Endpoint.ACCESS_KEY, S3Endpoint.SECRET_KEY, BUCKET, null));
        config.regions.forEach(r -> config.regionStore.putIfAbsent(r.region(), "s3"));
        customize.accept(config);
        return Imagehub.start(config);
    }

    @Override
    public void close() throws Exception {
        balancer.close();
        stopAll();
    }

    private void stopAll() throws Exception {
        List<Thread> stopping = new ArrayList<>();
        for (NodeProcess node : List.copyOf(nodes)) {
            stopping.add(Thread.ofVirtual().start(() -> {
                try {
                    node.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : stopping) {
            t.join();
        }
        throttled.close();
        files.close();
        s3.close();
        postgres.close();
        TestServer.deleteTree(root);
    }
}
