package io.imagehub.cli;

import io.imagehub.app.Imagehub;
import io.imagehub.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Start the service (embedded H2 database and blob directory under --data-dir).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "JSON configuration file (field names as in docs/operations.md).")
    Path configFile;
    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
    String host;
    @Option(names = "--port", description = "Port to listen on (default 9000; 0 picks a free one).")
    Integer port;
    @Option(names = "--data-dir", description = "Where the database, blobs and keys live (default ./data).")
    Path dataDir;
    @Option(names = "--db-url", description = "JDBC URL of a PostgreSQL database (default: embedded H2 in the data dir).")
    String dbUrl;
    @Option(names = "--db-user", description = "Database user.")
    String dbUser;
    @Option(names = "--db-password", description = "Database password (or env IMAGEHUB_DB_PASSWORD).")
    String dbPassword;
    @Option(names = "--share-limit", description = "Accounts one image can be shared with (default 50).")
    Integer shareLimit;
    @Option(names = "--image-quota", description = "Custom images per account per region (default 500).")
    Integer imageQuota;
    @Option(names = "--listing-cache-mib", description = "Memory for cached DescribeImages answers (default 32; 0 = off).")
    Integer listingCacheMib;
    @Option(names = "--import-allow", description = "URL prefix ImportImage may fetch from (repeatable; none by default).")
    List<String> importAllow;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = configFile != null ? ServerConfig.load(configFile) : new ServerConfig();
        if (host != null) {
            config.host = host;
        }
        if (port != null) {
            config.port = port;
        }
        if (dataDir != null) {
            config.dataDir = dataDir;
        }
        if (dbUrl != null) {
            config.dbUrl = dbUrl;
        }
        if (dbUser != null) {
            config.dbUser = dbUser;
        }
        String password = dbPassword != null ? dbPassword : System.getenv("IMAGEHUB_DB_PASSWORD");
        if (password != null) {
            config.dbPassword = password;
        }
        if (shareLimit != null) {
            config.shareLimit = shareLimit;
        }
        if (imageQuota != null) {
            config.imageQuota = imageQuota;
        }
        if (listingCacheMib != null) {
            config.listingCacheMib = listingCacheMib;
        }
        if (importAllow != null) {
            config.importAllow.addAll(importAllow);
        }
        String envToken = System.getenv("IMAGEHUB_ADMIN_TOKEN");
        if (envToken != null && !envToken.isBlank()) {
            config.adminToken = envToken;
        }
        Imagehub node = Imagehub.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "imagehub-shutdown"));
        StartBanner.lines(config, node.port()).forEach(System.out::println);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
