package io.imagehub.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** A test HTTP endpoint for webhook deliveries: records each request and answers the next status of a script. */
public final class WebhookReceiver implements AutoCloseable {
    public record Request(String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes()));
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The allow-list entry and URL of this receiver (an address literal: allowed only when named). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The next requests are answered with these statuses, then 200. */
    public void answer(Integer... script) {
        statuses.addAll(List.of(script));
    }

    /** The requests to {@code path} so far, in arrival order (each test uses a path of its own). */
    public List<Request> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits (at most 30 s) until the requests to {@code path} satisfy {@code done}; returns them. */
    public List<Request> await(String path, Predicate<List<Request>> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!done.test(received(path)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return received(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
