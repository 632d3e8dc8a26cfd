package io.imagehub.cli;

import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code serve} prints on stdout once the node is ready ({@code /readyz} answers 200): where it listens, where
 * its data lives, and the exact commands for the next steps. Logs go to stderr; this is the command's output.
 */
final class StartBanner {
    private StartBanner() {
    }

    /** The banner's lines for a node started with {@code config} that listens on {@code port}. */
    static List<String> lines(ServerConfig config, int port) {
        String endpoint = endpoint(config, port);
        Path dataDir = config.dataDir.toAbsolutePath();
        List<String> lines = new ArrayList<>();
        BuildInfo build = BuildInfo.current();
        lines.add("imagehub listening on " + endpoint + " (version " + build.version() + ", commit " + build.commit() + ")");
        lines.add("  API endpoint   " + endpoint + "   (Tencent Cloud API 3.0; in an SDK: endpoint "
                + reachableHost(config.host) + ":" + port + ", protocol " + scheme(config) + ")");
        lines.add("  console        " + endpoint + "/console");
        lines.add("  data           " + dataDir + "   (admin token, master key"
                + (config.dbUrl == null ? ", H2 database" : "") + ")");
        if (config.dbUrl != null) {
            lines.add("  database       " + config.databaseDescription());
        }
        for (Map.Entry<String, StoreConfig> store : config.chunkStoresInUse().entrySet()) {
            lines.add("  chunks         " + store.getValue().location(dataDir)
                    + (store.getKey().equals(ServerConfig.DEFAULT_STORE) ? "" : "   (store " + store.getKey() + ")"));
        }
        String dataDirFlag = dataDir.equals(Path.of("data").toAbsolutePath()) ? "" : " --data-dir " + dataDir;
        String endpointFlag = port == 9000 && reachableHost(config.host).equals("127.0.0.1") ? "" : " --endpoint " + endpoint;
        lines.add("");
        lines.add("Next steps (each line can be pasted into a shell as it is):");
        lines.add("  bin/imagehub account create --name alice" + endpointFlag + dataDirFlag + "   # an account and its keys");
        lines.add("  bin/imagehub configure" + endpointFlag + "   # the CLI, with those keys");
        lines.add("  bin/imagehub demo" + endpointFlag + dataDirFlag + "   # or: alice, bob and a shared image to look at");
        lines.add("  xdg-open " + endpoint + "/console   # the console, in a browser");
        return lines;
    }

    /** Where a client on this machine reaches the node. */
    static String endpoint(ServerConfig config, int port) {
        return scheme(config) + "://" + reachableHost(config.host) + ":" + port;
    }

    private static String scheme(ServerConfig config) {
        return config.tlsCert != null ? "https" : "http";
    }

    /** A wildcard listen address is reached locally through loopback. */
    private static String reachableHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }
}
