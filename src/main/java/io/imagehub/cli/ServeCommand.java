package io.imagehub.cli;

import io.imagehub.app.Imagehub;
import io.imagehub.config.ServerConfig;
import io.imagehub.logging.Logging;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Start the service (embedded H2 and chunk store under --data-dir).")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    NodeOptions where;
    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;
    @Option(names = "--port", description = "Port to listen on (default 9000; 0 picks a free one).")
    Integer port;
    @Option(names = "--share-limit", description = "Accounts one image can be shared with (default 50).")
    Integer shareLimit;
    @Option(names = "--image-quota", description = "Custom images per account per region (default 500).")
    Integer imageQuota;
    @Option(names = "--share-expiry-max-days", description = "Furthest ahead a share's ImagehubExpireTime may lie (default 366).")
    Integer shareExpiryMaxDays;
    @Option(names = "--listing-cache-mib", description = "Memory for cached DescribeImages answers (default 32; 0 = off).")
    Integer listingCacheMib;
    @Option(names = "--requests-per-second", description = "Calls of one action per account per second on this node (default 5000; 0 = no limit).")
    Double requestsPerSecond;
    @Option(names = "--action-requests-per-second", description = "ACTION=RATE: that action's own rate, e.g. DescribeImages=40 (repeatable).")
    Map<String, Double> actionRequestsPerSecond;
    @Option(names = "--key-lookups-per-second", description = "Uncached SecretIds this node looks up per second (default 500; 0 = no bound).")
    Double keyLookupsPerSecond;
    @Option(names = "--max-imports-per-account", description = "ImportImage downloads one account may have under way (default 500; 0 = no bound).")
    Integer maxImportsPerAccount;
    @Option(names = "--max-uploads-per-account", description = "Uploads one account may hold open (default 4; 0 = no bound).")
    Integer maxUploadsPerAccount;
    @Option(names = "--max-syncs-per-account", description = "SyncImages destinations one account may have being filled (default 500; 0 = no bound).")
    Integer maxSyncsPerAccount;
    @Option(names = "--max-exports-per-account", description = "ExportImages tasks one account may have under way (default 50; 0 = no bound).")
    Integer maxExportsPerAccount;
    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS (with --tls-key).")
    Path tlsCert;
    @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
    Path tlsKey;
    @Option(names = "--import-allow", description = "Location ImportImage may fetch from, e.g. https://files.example.com/images/ (repeatable; none by default).")
    List<String> importAllow;
    @Option(names = "--webhook-allow", description = "Location webhooks may deliver to, written as --import-allow entries (repeatable; none by default).")
    List<String> webhookAllow;
    @Option(names = "--outbound-allow-address", description = "Non-public address range (CIDR) that allowed host names may resolve to (repeatable).")
    List<String> outboundAllowAddresses;
    @Option(names = "--drain-seconds", description = "On SIGTERM: seconds to go on answering while /readyz says 503 (default 0).")
    Long drainSeconds;
    @Option(names = "--log-format", description = "text (default) or json: one JSON object per log line, a request's lines with its RequestId.")
    String logFormat;

    @Option(names = "--demo", description = "Once started, set up the demo: alice, bob and a shared image (as `demo`).")
    boolean demo;
    @Option(names = "--force", description = "With --demo: also on a database that holds other accounts.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (logFormat != null) {
            Logging.useFormat(logFormat);
        }
        ServerConfig config = where.config();
        if (host != null) {
            config.host = host;
        }
        if (port != null) {
            config.port = port;
        }
        if (shareLimit != null) {
            config.shareLimit = shareLimit;
        }
        if (imageQuota != null) {
            config.imageQuota = imageQuota;
        }
        if (shareExpiryMaxDays != null) {
            config.shareExpiryMaxDays = shareExpiryMaxDays;
        }
        if (listingCacheMib != null) {
            config.listingCacheMib = listingCacheMib;
        }
        if (requestsPerSecond != null) {
            config.requestsPerSecond = requestsPerSecond;
        }
        if (actionRequestsPerSecond != null) {
            config.actionRequestsPerSecond.putAll(actionRequestsPerSecond);
        }
        if (keyLookupsPerSecond != null) {
            config.keyLookupsPerSecond = keyLookupsPerSecond;
        }
        if (maxImportsPerAccount != null) {
            config.maxImportsPerAccount = maxImportsPerAccount;
        }
        if (maxUploadsPerAccount != null) {
            config.maxUploadsPerAccount = maxUploadsPerAccount;
        }
        if (maxSyncsPerAccount != null) {
            config.maxSyncsPerAccount = maxSyncsPerAccount;
        }
        if (maxExportsPerAccount != null) {
            config.maxExportsPerAccount = maxExportsPerAccount;
        }
        if (tlsCert != null) {
            config.tlsCert = tlsCert;
        }
        if (tlsKey != null) {
            config.tlsKey = tlsKey;
        }
        if (drainSeconds != null) {
            config.drainSeconds = drainSeconds;
        }
        if (importAllow != null) {
            config.importAllow.addAll(importAllow);
        }
        if (webhookAllow != null) {
            config.webhookAllow.addAll(webhookAllow);
        }
        if (outboundAllowAddresses != null) {
            config.outboundAllowAddresses.addAll(outboundAllowAddresses);
        }
        String envToken = System.getenv("IMAGEHUB_ADMIN_TOKEN");
        if (envToken != null && !envToken.isBlank()) {
            config.adminToken = envToken;
        }
        Imagehub node;
        try {
            node = Imagehub.start(config);
        } catch (IllegalArgumentException refused) { // a setting the node will not run with, e.g. an ambiguous --import-allow
            spec.commandLine().getErr().println("imagehub serve: " + refused.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "imagehub-shutdown"));
        StartBanner.lines(config, node.port()).forEach(System.out::println);
        System.out.flush();
        if (demo) {
            String endpoint = StartBanner.endpoint(config, node.port());
            int outcome = Demo.runAndReport(endpoint, new AdminClient(endpoint, node.adminToken(), config.dataDir),
                    config.dataDir, force);
            if (outcome != 0) {
                return 1; // the shutdown hook stops the node
            }
        }
        stopped.await();
        return 0;
    }
}
