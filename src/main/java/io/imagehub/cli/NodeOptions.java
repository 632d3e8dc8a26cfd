package io.imagehub.cli;

import io.imagehub.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a node's configuration, data and database are: shared by {@code serve} and {@code doctor}. */
final class NodeOptions {
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
        return config;
    }
}
