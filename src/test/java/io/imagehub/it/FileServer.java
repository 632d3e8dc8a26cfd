package io.imagehub.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real HTTP servers on loopback that serve image files for ImportImage: whole files and 404s, plus a raw socket
 * server for broken downloads that announce more bytes than they send and then close the connection (truncated)
 * or keep it open silently (stalled). The whole-file server records every request exactly as it arrived.
 */
public final class FileServer implements AutoCloseable {
    /** A request as received: the request target as written on the request line, and the Host header. */
    public record Request(String target, String host) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket broken;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Socket> stalled = new CopyOnWriteArrayList<>();

    public FileServer() throws IOException {
        this(0);
    }

    /** On {@code port} of loopback (0: any free one), for a node started before this server. */
    public FileServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host")));
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    // in slices: the JDK server overflows an int on one write of 1 GiB and sends nothing
                    for (int offset = 0; offset < body.length; offset += 1 << 20) {
                        out.write(body, offset, Math.min(1 << 20, body.length - offset));
                    }
                }
            }
            exchange.close();
        });
        server.start();
        broken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serveBroken);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The requests the whole-file server received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public String brokenBaseUrl() {
        return "http://127.0.0.1:" + broken.getLocalPort() + "/";
    }

    /** Serves {@code body} at {@code /name} and returns its URL. */
    public String put(String name, byte[] body) {
        files.put("/" + name, body);
        return baseUrl() + name;
    }

    /** A URL whose response announces the file's length, sends half of it and closes the connection. */
    public String truncatedUrl(String name) {
        return brokenBaseUrl() + "truncated/" + name;
    }

    /** A URL whose response announces the file's length, sends half of it and then sends nothing more. */
    public String stalledUrl(String name) {
        return brokenBaseUrl() + "stalled/" + name;
    }

    private void serveBroken() {
        while (!broken.isClosed()) {
            try {
                Socket socket = broken.accept();
                String path = readRequestPath(socket.getInputStream());
                boolean stall = path.startsWith("/stalled/");
                byte[] body = files.getOrDefault(path.replaceFirst("^/(truncated|stalled)", ""), new byte[0]);
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                if (stall) {
                    stalled.add(socket);
                } else {
                    socket.close();
                }
            } catch (IOException closing) {
                return;
            }
        }
    }

    private static String readRequestPath(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String[] requestLine = head.toString().split(" ");
        return requestLine.length > 1 ? requestLine[1] : "/";
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        broken.close();
        for (Socket socket : stalled) {
            socket.close();
        }
    }
}
