package io.imagehub.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything `imagehub serve` can be told. Defaults are the embedded set-up; a JSON file given with
 * {@code --config} overrides them (same field names), and command-line flags override the file.
 */
public class ServerConfig {
    /** The name {@link #chunkStoresInUse} gives the store under {@code <dataDir>/blobs}. */
    public static final String DEFAULT_STORE = "default";
    public String host = "127.0.0.1";
    public int port = 9000;
    public Path dataDir = Path.of("data");
    /** JDBC URL of the metadata store; null means the embedded H2 file database under the data dir. */
    public String dbUrl;
    public String dbUser = "";
    public String dbPassword = "";
    public int dbPoolSize = 16;
    /** How long a call waits for a database connection before it answers ServiceUnavailable (docs/operations.md). */
    public long dbConnectionTimeoutMillis = 5000;
    /** The longest one SQL statement may run (PostgreSQL statement_timeout; the socket read timeout is 5 s more). */
    public long dbStatementTimeoutSeconds = 30;
    public int shareLimit = 50;
    public int imageQuota = 500;
    /** The furthest ahead a share's ImagehubExpireTime may lie. */
    public int shareExpiryMaxDays = 366;
    /** How long before a share's expiry its recipient's webhooks get shared_image.expiring. */
    public long shareExpiryNoticeSeconds = 86400;
    public int instanceQuota = 100;
    /** The instance types sold in the regions' zones (DescribeInstanceTypeConfigs, RunInstances.InstanceType). */
    public List<InstanceTypeConfig> instanceTypes = InstanceTypeConfig.defaults();
    /** How long an instance stays PENDING, STOPPING, STARTING, REBOOTING or TERMINATING before it settles. */
    public long instanceTransitionMillis = 1000;
    /** Locations ImportImage may fetch from (docs/operations.md, "Allowing outbound URLs"). */
    public List<String> importAllow = new ArrayList<>();
    /** CIDR ranges of non-public addresses that allowed host names may resolve to (e.g. 10.0.0.0/8). */
    public List<String> outboundAllowAddresses = new ArrayList<>();
    /** Locations webhooks may deliver to, written as importAllow entries (docs/sharing.md); none by default. */
    public List<String> webhookAllow = new ArrayList<>();
    /** Connect and read timeout of one webhook delivery attempt. */
    public long webhookTimeoutSeconds = 10;
    /** The first retry of a failed delivery waits this long; each further one twice as long, up to the max. */
    public long webhookRetryBaseMillis = 1000;
    public long webhookRetryMaxSeconds = 3600;
    /** A delivery is retried for at most this long after its event; then it has failed. */
    public long webhookRetryWindowSeconds = 86400;
    public List<RegionConfig> regions = RegionConfig.defaults();
    public long clockSkewSeconds = 300;
    public int maxRequestBytes = 10 * 1024 * 1024;
    /** Memory for encoded DescribeImages answers (docs/adr/0008-listing-cache.md); 0 turns the cache off. */
    public int listingCacheMib = 32;
    public boolean acceptUnsignedPayload = true;
    /**
     * Calls per second one account may make of one action on one node (docs/adr/0015-request-limits.md); more are
     * refused with RequestLimitExceeded. 0 means no limit.
     */
    public double requestsPerSecond = 5000;
    /** Rates that replace {@link #requestsPerSecond} for the actions named, e.g. {"DescribeImages": 40}. */
    public Map<String, Double> actionRequestsPerSecond = new LinkedHashMap<>();
    /** Uncached SecretIds a node may look up per second: the bound on floods of made-up keys; 0 = no bound. */
    public double keyLookupsPerSecond = 500;
    /** An import whose download delivers nothing for this long fails. */
    public long importReadTimeoutSeconds = 60;
    /** Imported disks declaring a larger virtual size are refused (formats/DiskInspection); default 2 TiB. */
    public long maxVirtualSizeBytes = 2L << 40;
    /** An upload (ImportImage with ImagehubUploadSizeBytes) not completed within this fails (docs/adr/0012-uploads.md). */
    public long uploadExpirySeconds = 24 * 3600;
    /** Uploads one account may hold open at once (docs/adr/0015-request-limits.md: counted across all nodes). */
    public int maxUploadsPerAccount = 4;
    /** ImportImage downloads (queued or running) one account may have at once; 0 = no bound. */
    public int maxImportsPerAccount = 500;
    /** SyncImages destinations being filled that one account may have at once; 0 = no bound. */
    public int maxSyncsPerAccount = 500;
    /** ExportImages tasks (queued or running) one account may have at once; 0 = no bound. */
    public int maxExportsPerAccount = 50;
    /** Workers that run durable jobs (imports, copies) on this node. */
    public int jobWorkers = 2;
    /** How long a claimed job is ours before another node may take it over. */
    public long jobLeaseSeconds = 30;
    /**
     * On SIGTERM, how long the node keeps answering while {@code /readyz} says 503, so that a load balancer sees it
     * leave before it stops listening (docs/operations.md, "Three nodes"); its jobs are handed over at once.
     */
    public long drainSeconds = 0;
    /** Once it stops listening, how long requests still in flight may take to finish. */
    public long shutdownGraceSeconds = 30;
    /** Blob stores by name; several regions may share one. See {@link #regionStore}. */
    public Map<String, StoreConfig> stores = new LinkedHashMap<>();
    /** Region -> name of its store in {@link #stores}; a region not named here uses {@code <dataDir>/blobs}. */
    public Map<String, String> regionStore = new LinkedHashMap<>();
    /** ExportImages destinations: BucketName -> a directory store (path) the exported files are written to. */
    public Map<String, StoreConfig> exportTargets = new LinkedHashMap<>();
    /** Caps how fast one SyncImages copy writes to its destination store, in bytes per second; 0 = no cap. */
    public long copyBytesPerSecond = 0;
    /** Garbage collection deletes only unreferenced chunks older than this (docs/adr/0005-garbage-collection.md). */
    public long gcGraceSeconds = 3600;
    /** How often the node collects garbage; 0 turns the periodic run off. */
    public long gcIntervalSeconds = 3600;
    /** A web console session that makes no request for this long ends (docs/console.md). */
    public long consoleIdleMinutes = 30;
    /** PEM certificate chain and private key: with both, the node serves only HTTPS (docs/clients.md). */
    public Path tlsCert;
    public Path tlsKey;
    /** Admin token; null means read it from (or create) {@code <dataDir>/admin-token}. */
    public String adminToken;
    /** Where the key that encrypts stored SecretKeys lives; null means {@code <dataDir>/master.key}. */
    public Path masterKeyFile;

    public static ServerConfig load(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper.readerForUpdating(new ServerConfig()).readValue(file.toFile());
    }

    public String effectiveDbUrl() {
        if (dbUrl != null) {
            return dbUrl;
        }
        Path db = dataDir.toAbsolutePath().resolve("db").resolve("imagehub");
        // WRITE_DELAY=1000: H2's own writer may wait up to 1 s, because Database stores and fsyncs every committed
        // change itself (group commit) before acknowledging it (docs/adr/0007-durability.md);
        // QUERY_CACHE_SIZE=64: one request runs up to ~10 distinct statements; H2's default per-session cache of 8
        // parsed statements made it parse most of them again on every request;
        // DB_CLOSE_ON_EXIT=FALSE: our shutdown hook closes the database after in-flight requests and jobs stop
        return "jdbc:h2:file:" + db + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=1000;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The metadata store for people: the embedded database's directory, or the JDBC URL less its parameters (a password may be one). */
    public String databaseDescription() {
        if (dbUrl == null) {
            return "embedded H2 in " + dataDir.toAbsolutePath().resolve("db");
        }
        int query = dbUrl.indexOf('?');
        return query < 0 ? dbUrl : dbUrl.substring(0, query);
    }

    public Path effectiveMasterKeyFile() {
        return masterKeyFile != null ? masterKeyFile : dataDir.resolve("master.key");
    }

    /**
     * The chunk stores the regions use, by store name: the configured ones some region names, and "default"
     * ({@code <dataDir>/blobs}) if any region names none. For the start banner and {@code doctor}.
     */
    public Map<String, StoreConfig> chunkStoresInUse() {
        Map<String, StoreConfig> inUse = new LinkedHashMap<>();
        for (RegionConfig r : regions) {
            String name = regionStore.get(r.region());
            if (name == null) {
                inUse.putIfAbsent(DEFAULT_STORE, StoreConfig.directory(Path.of("blobs")));
            } else if (stores.containsKey(name)) {
                inUse.putIfAbsent(name, stores.get(name));
            }
        }
        return inUse;
    }

    public RegionConfig region(String name) {
        for (RegionConfig r : regions) {
            if (r.region().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
