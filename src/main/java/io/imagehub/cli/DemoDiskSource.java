package io.imagehub.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The demo's disk served on a loopback port for the length of {@code serve --demo}, so that its own node imports it
 * with a plain ImportImage: the node allows exactly this URL (nothing else is added to its import allow-list).
 */
final class DemoDiskSource implements AutoCloseable {
    private static final String PATH = "/imagehub-demo.raw";

    private final HttpServer server;

    private DemoDiskSource(HttpServer server) {
        this.server = server;
    }

    static DemoDiskSource start() throws IOException {
        byte[] disk = Demo.disk();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(PATH)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, disk.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(disk);
                }
            }
        });
        server.start();
        return new DemoDiskSource(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
