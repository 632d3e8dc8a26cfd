package io.imagehub.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a CLI command reaches the admin surface of a running server. */
final class AdminOptions {
    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:9000", description = "The server's address.")
    String endpoint;
    @Option(names = "--admin-token", description = "Admin token (default: env IMAGEHUB_ADMIN_TOKEN, else <data-dir>/admin-token).")
    String adminToken;
    @Option(names = "--data-dir", defaultValue = "data", description = "The server's data dir, to read the admin token from.")
    Path dataDir;

    AdminClient client() throws IOException {
        return new AdminClient(endpoint, adminToken, dataDir);
    }
}
