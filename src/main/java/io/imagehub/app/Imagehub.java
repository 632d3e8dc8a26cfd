package io.imagehub.app;

import io.helidon.common.tls.Tls;
import io.imagehub.api.ActionRegistry;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.DataPlaneActions;
import io.imagehub.api.ImageActions;
import io.imagehub.api.ImagehubActions;
import io.imagehub.api.InstanceActions;
import io.imagehub.api.RegionActions;
import io.imagehub.api.RequestAuthenticator;
import io.imagehub.api.SignatureV1;
import io.imagehub.api.WebhookActions;
import io.imagehub.backup.NodeBackup;
import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.GarbageCollector;
import io.imagehub.config.ServerConfig;
import io.imagehub.console.Console;
import io.imagehub.console.ConsoleSessions;
import io.imagehub.domain.AccountService;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.HostResolver;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.ImageService;
import io.imagehub.domain.ImportService;
import io.imagehub.domain.InFlightLimits;
import io.imagehub.domain.InstanceService;
import io.imagehub.domain.OutboundUrlPolicy;
import io.imagehub.domain.SecretCipher;
import io.imagehub.domain.Transactions;
import io.imagehub.domain.TransferTokens;
import io.imagehub.domain.WebhookEvents;
import io.imagehub.domain.WebhookService;
import io.imagehub.jobs.CreateImageJob;
import io.imagehub.jobs.ExportJob;
import io.imagehub.formats.QemuImgConverter;
import io.imagehub.jobs.ImageIngest;
import io.imagehub.jobs.ImportJob;
import io.imagehub.jobs.InstanceTransitionJob;
import io.imagehub.jobs.JobRunner;
import io.imagehub.jobs.ShareExpiryJob;
import io.imagehub.webhooks.WebhookDeliveryJob;
import io.imagehub.jobs.SyncJob;
import io.imagehub.limits.KeyLookupLimiter;
import io.imagehub.limits.RequestLimiter;
import io.imagehub.metrics.NodeMetrics;
import io.imagehub.outbound.OutboundHttp;
import io.imagehub.outbound.SystemHostResolver;
import io.imagehub.jobs.ImageIngest;
import io.imagehub.jobs.UploadExpiryJob;
import io.imagehub.transfer.ImageTransfers;
import io.imagehub.store.Database;
import io.imagehub.store.JdbcNonceLedger;
import io.imagehub.store.JdbcTransactions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One imagehub node: the wiring of store, domain, jobs and HTTP, started and stopped as a unit. */
public final class Imagehub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Imagehub.class);
    private static final long MAX_IMAGE_BYTES = 512L << 30;
    private static final Duration OUTBOUND_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Database database;
    private final DataPlane dataPlane;
    private final JobRunner jobs;
    private final HttpServer http;
    private final ActionRegistry actions;
    private final String adminToken;
    private final NodeMetrics metrics;
    private final Duration drain;
    private volatile boolean ready;

    private Imagehub(ServerConfig config, HostResolver hostResolver) throws IOException {
        Clock clock = Clock.systemUTC();
        OutboundUrlPolicy importUrls = new OutboundUrlPolicy("--import-allow", config.importAllow,
                config.outboundAllowAddresses, hostResolver);
        Tls tls = tls(config); // before anything opens: a bad certificate or key stops the start here
        ApiGateway.checkRequestLimits(config, ActionRegistry.catalogue());
        Files.createDirectories(config.dataDir);
        this.adminToken = adminToken(config);
        this.metrics = new NodeMetrics();
        this.database = new Database(config.effectiveDbUrl(), config.dbUser, config.dbPassword, config.dbPoolSize,
                metrics.registry(), new Database.Timeouts(Duration.ofMillis(config.dbConnectionTimeoutMillis),
                        Duration.ofSeconds(config.dbStatementTimeoutSeconds)));
        metrics.watchJobQueue(database.dataSource(), clock);
        Transactions transactions = new JdbcTransactions(database);
        this.dataPlane = DataPlane.open(config, database, clock, metrics.registry());
        Readiness readiness = new Readiness(database, dataPlane.stores);
        readiness.probeStores();

        SecretCipher cipher = SecretCipher.fromEnvOrFile(config.effectiveMasterKeyFile());
        AccountService accounts = new AccountService(transactions, cipher, clock,
                new KeyLookupLimiter(new RequestLimiter.Rate(config.keyLookupsPerSecond), metrics.registry()));
        TransferTokens transferTokens = new TransferTokens(cipher.derivedKey("transfer URLs"), clock);
        WebhookEvents events = new WebhookEvents(clock);
        ImageService images = new ImageService(transactions, clock, config.shareLimit, config.imageQuota,
                Duration.ofDays(config.shareExpiryMaxDays), Duration.ofSeconds(config.shareExpiryNoticeSeconds), events,
                new InFlightLimits(config.maxImportsPerAccount, config.maxUploadsPerAccount, config.maxSyncsPerAccount,
                        config.maxExportsPerAccount));
        ImageData imageData = new ImageData(transactions, clock, events);
        OutboundUrlPolicy webhookUrls = new OutboundUrlPolicy("--webhook-allow", config.webhookAllow,
                config.outboundAllowAddresses, hostResolver);
        WebhookService webhooks = new WebhookService(transactions, images, cipher, webhookUrls, clock,
                Duration.ofMillis(config.webhookRetryBaseMillis), Duration.ofSeconds(config.webhookRetryMaxSeconds),
                Duration.ofSeconds(config.webhookRetryWindowSeconds));
        Duration webhookTimeout = Duration.ofSeconds(config.webhookTimeoutSeconds);
        InstanceService instances = new InstanceService(transactions, images, clock, config.instanceQuota,
                Duration.ofMillis(config.instanceTransitionMillis));
        ImageIngest ingest = new ImageIngest(config.maxVirtualSizeBytes);
        this.jobs = new JobRunner(transactions,
                Map.of(ImageService.JOB_IMPORT, new ImportJob(imageData, dataPlane.storeOfImage(transactions),
                                ingest, MAX_IMAGE_BYTES, importUrls,
                                new OutboundHttp(OUTBOUND_CONNECT_TIMEOUT, Duration.ofSeconds(config.importReadTimeoutSeconds)),
                                metrics.transferredBytes(ImageService.JOB_IMPORT)),
                        ImageService.JOB_UPLOAD, new UploadExpiryJob(imageData),
                        DataPlaneService.JOB_SYNC, new SyncJob(imageData, dataPlane.stores, config.copyBytesPerSecond,
                                metrics.transferredBytes(DataPlaneService.JOB_SYNC)),
                        DataPlaneService.JOB_EXPORT, new ExportJob(imageData, dataPlane.stores, dataPlane.exportTargets,
                                new QemuImgConverter(QemuImgConverter.Limits.DEFAULT), config.maxVirtualSizeBytes,
                                metrics.transferredBytes(DataPlaneService.JOB_EXPORT)),
                        InstanceService.JOB_INSTANCE_TRANSITION, new InstanceTransitionJob(instances),
                        InstanceService.JOB_CREATE_IMAGE, new CreateImageJob(imageData, instances),
                        ImageService.JOB_SHARE_EXPIRY, ShareExpiryJob.ending(images),
                        ImageService.JOB_SHARE_EXPIRY_NOTICE, ShareExpiryJob.notice(images),
                        WebhookEvents.JOB_WEBHOOK_DELIVERY, new WebhookDeliveryJob(webhooks, webhookUrls,
                                new OutboundHttp(webhookTimeout, webhookTimeout))),
                clock, Duration.ofSeconds(config.jobLeaseSeconds), metrics.registry());
        ImportService imports = new ImportService(images, importUrls, new ImportService.Uploads(MAX_IMAGE_BYTES,
                Duration.ofSeconds(config.uploadExpirySeconds), transferTokens),
                clock, jobs::nudge);

        ActionRegistry registry = new ActionRegistry();
        this.actions = registry;
        new RegionActions(config.regions).register(registry);
        new ImageActions(images, imports, config.listingCacheMib * (1L << 20), metrics.registry()).register(registry);
        new InstanceActions(instances, config.regions, config.instanceTypes).register(registry);
        new DataPlaneActions(new DataPlaneService(images,
                config.regions.stream().map(r -> r.region()).collect(Collectors.toSet()),
                dataPlane.exportBuckets(), transferTokens, clock, jobs::nudge)).register(registry);
        new ImagehubActions(images).register(registry);
        new WebhookActions(webhooks).register(registry);
        ApiGateway gateway = new ApiGateway(new RequestAuthenticator(accounts, clock, config.clockSkewSeconds,
                config.acceptUnsignedPayload), new SignatureV1(accounts, new JdbcNonceLedger(database), clock,
                config.clockSkewSeconds), registry, config, metrics.registry());

        this.http = new HttpServer(config.host, config.port, tls, config.maxRequestBytes, gateway,
                new AdminApi(adminToken, accounts, images,
                        new NodeBackup(config, database, dataPlane.stores, dataPlane.garbageCollector, cipher)),
                new Console(gateway, new ConsoleSessions(database, cipher, clock,
                        Duration.ofMinutes(config.consoleIdleMinutes))),
                new TransferRoutes(new ImageTransfers(transferTokens, imageData, transactions, ingest,
                        dataPlane.stores, metrics.transferredBytes(ImageService.JOB_UPLOAD))), () -> ready && readiness.check(), metrics::scrape,
                Duration.ofSeconds(config.shutdownGraceSeconds));
        this.drain = Duration.ofSeconds(config.drainSeconds);
        PublicImages.seed(transactions, config.regions, dataPlane.stores::forRegion);
        jobs.start(config.jobWorkers);
        ready = true;
    }

    public static Imagehub start(ServerConfig config) throws IOException {
        return start(config, new SystemHostResolver());
    }

    /** As {@link #start(ServerConfig)}, with outbound host names resolved by {@code hostResolver}. */
    public static Imagehub start(ServerConfig config, HostResolver hostResolver) throws IOException {
        return new Imagehub(config, hostResolver);
    }

    public int port() {
        return http.port();
    }

    /** The actions this node answers. */
    public ActionRegistry actions() {
        return actions;
    }

    public String adminToken() {
        return adminToken;
    }

    /** The metadata store (for the backup and for tests that inspect what a call changed). */
    public Database database() {
        return database;
    }

    public ChunkStores chunkStores() {
        return dataPlane.stores;
    }

    /** Mark and sweep over the chunk stores; also runs every gcIntervalSeconds. */
    public GarbageCollector garbageCollector() {
        return dataPlane.garbageCollector;
    }

    /** The TLS identity of the config's PEM files, or null (plain HTTP) if it names none. */
    private static Tls tls(ServerConfig config) {
        if (config.tlsCert == null && config.tlsKey == null) {
            return null;
        }
        if (config.tlsCert == null || config.tlsKey == null) {
            throw new IllegalArgumentException("TLS needs both a certificate chain (--tls-cert) and its key (--tls-key)");
        }
        return ServerTls.fromPem(config.tlsCert, config.tlsKey);
    }

    /** The admin token from config or env, else from {@code <data-dir>/admin-token}, created (mode 0600) if absent. */
    private static String adminToken(ServerConfig config) throws IOException {
        if (config.adminToken != null && !config.adminToken.isBlank()) {
            return config.adminToken;
        }
        Path file = config.dataDir.resolve("admin-token");
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
            SecretCipher.restrictToOwner(file);
        }
        return Files.readString(file).trim();
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("could not close {}", resource, e);
        }
    }

    /**
     * Leaves the cluster in the order a load balancer needs: {@code /readyz} turns 503 and the running jobs are handed
     * back to the queue at once (other nodes take them over without waiting for a lease to run out); requests are
     * still answered for the drain time, so that the balancer sees 503 before the port closes; then the node stops
     * listening, lets requests in flight finish, and closes the database.
     */
    @Override
    public void close() {
        ready = false;
        jobs.handOver();
        sleepQuietly(drain);
        http.close();
        jobs.close();
        closeQuietly(dataPlane);
        database.close();
        metrics.close();
        LOG.info("imagehub stopped");
    }
}
