package io.imagehub.cli;

import io.imagehub.config.RegionConfig;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where a node's configuration, data and database are: shared by {@code serve} and {@code doctor}. */
final class NodeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;
    @Option(names = "--config", description = "JSON configuration file (field names as in docs/operations.md).")
    Path configFile;
    @Option(names = "--data-dir", description = "Where the database, blobs and keys live (default ./data).")
    Path dataDir;
    @Option(names = "--db-url", description = "JDBC URL of a PostgreSQL database (default: embedded H2 in the data dir).")
    String dbUrl;
    @Option(names = "--db-user", description = "Database user.")
    String dbUser;
    @Option(names = "--db-password", description = "Database password (or env IMAGEHUB_DB_PASSWORD).")
    String dbPassword;
    @Option(names = "--store", description = "Where chunks live: dir (default, <data-dir>/blobs) or s3 (--s3-*; keys from env AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).")
    String store;
    @Option(names = "--s3-endpoint", description = "With --store s3: the S3 endpoint, e.g. https://minio.internal:9000.")
    String s3Endpoint;
    @Option(names = "--s3-bucket", description = "With --store s3: the bucket.")
    String s3Bucket;
    @Option(names = "--s3-region", description = "With --store s3: the signing region (default us-east-1).")
    String s3Region;
    @Option(names = "--s3-prefix", description = "With --store s3: a key prefix inside the bucket (default none).")
    String s3Prefix;

    /** The configuration file (or the defaults) with these flags applied on top. */
    ServerConfig config() throws IOException {
        ServerConfig config = configFile != null ? ServerConfig.load(configFile) : new ServerConfig();
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
        if (store != null) {
            useStore(config);
        }
        return config;
    }

    /**
     * {@code --store s3}: one S3 store, named {@value #S3_STORE}, for every region the configuration file does not
     * map to a store of its own (as {@code <data-dir>/blobs} is without it).
     */
    private void useStore(ServerConfig config) {
        if (store.equals(StoreConfig.DIR)) {
            return;
        }
        if (!store.equals(StoreConfig.S3)) {
            throw refused("--store must be dir or s3, not " + store);
        }
        if (s3Endpoint == null || s3Bucket == null) {
            throw refused("--store s3 needs --s3-endpoint and --s3-bucket");
        }
        String accessKey = System.getenv("AWS_ACCESS_KEY_ID");
        String secretKey = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (accessKey == null || secretKey == null) {
            throw refused("--store s3 needs the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        config.stores.put(S3_STORE, new StoreConfig(StoreConfig.S3, null, s3Endpoint, s3Region, accessKey, secretKey,
                s3Bucket, s3Prefix));
        for (RegionConfig region : config.regions) {
            config.regionStore.putIfAbsent(region.region(), S3_STORE);
        }
    }

    private ParameterException refused(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** The name {@code --store s3} gives its store (in the banner, the metrics and the store's id). */
    static final String S3_STORE = "s3";
}
