package io.imagehub.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server on loopback that serves image files for ImportImage: whole files, a 404, and a response that
 * promises more bytes than it sends (a truncated download).
 */
public final class FileServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    public FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = files.get(path.replaceFirst("^/truncated", ""));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (path.startsWith("/truncated")) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body, 0, body.length / 2);
                } catch (IOException expected) {
                    // closing a fixed-length body early is the point of this endpoint
                }
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Serves {@code body} at {@code /name} and returns its URL. */
    public String put(String name, byte[] body) {
        files.put("/" + name, body);
        return baseUrl() + name;
    }

    public String truncatedUrl(String name) {
        return baseUrl() + "truncated/" + name;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
