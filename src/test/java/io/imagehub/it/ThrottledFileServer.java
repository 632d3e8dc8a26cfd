package io.imagehub.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves files from disk on loopback at a settable rate, so that an import can be caught (and killed) half-way
 * without a huge file. Files are streamed, never held in memory.
 */
public final class ThrottledFileServer implements AutoCloseable {
    private static final int PIECE = 256 * 1024;
    private final HttpServer server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private volatile long bytesPerSecond;

    public ThrottledFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = files.get(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                byte[] piece = new byte[PIECE];
                int n;
                while ((n = in.read(piece)) > 0) {
                    out.write(piece, 0, n);
                    pause(n);
                }
            } catch (IOException clientGone) {
                // the importing node was killed: nothing to do
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Serves {@code file} at {@code /name} and returns its URL. */
    public String put(String name, Path file) {
        files.put("/" + name, file);
        return baseUrl() + name;
    }

    /** 0 serves at full speed; takes effect for responses already under way too. */
    public void setBytesPerSecond(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    private void pause(int bytes) {
        long rate = bytesPerSecond;
        if (rate > 0) {
            try {
                Thread.sleep(bytes * 1000L / rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
