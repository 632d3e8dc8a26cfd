package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.client.SignedClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A load balancer as the tests model one (HAProxy's {@code option httpchk GET /readyz} with {@code retry-on
 * conn-failure}): it checks every server's {@code /readyz} every {@code checkEvery} and sends each call to the next
 * server, round-robin, among those whose last check answered 200. A call whose connection is refused never reached a
 * node, so it goes to the next server; a call that broke off after it was sent is reported as lost (it was in flight
 * on a node that went away), never sent twice.
 */
public final class LoadBalancer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration NO_SERVER_WAIT = Duration.ofSeconds(30);

    /** What became of one call: the server's {@code Response} object, or why there is none. */
    public record Reply(String server, JsonNode response, String failure, boolean lost) {
        /** The error code of an answered call, "Success" if it succeeded, or null if it was not answered. */
        public String outcome() {
            if (response == null) {
                return null;
            }
            String code = RawClient.errorCode(response);
            return code == null ? "Success" : code;
        }

        public boolean succeeded() {
            return "Success".equals(outcome());
        }
    }

    private final Supplier<List<String>> servers;
    private final Duration checkEvery;
    private final Set<String> healthy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger turn = new AtomicInteger();
    private final HttpClient checks = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final HttpClient calls = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final Thread checker;
    private volatile boolean closed;

    /** {@code servers}: host:port of every server it balances over, asked anew on every check. */
    public LoadBalancer(Supplier<List<String>> servers, Duration checkEvery) {
        this.servers = servers;
        this.checkEvery = checkEvery;
        checkAll();
        this.checker = Thread.ofVirtual().name("load-balancer-checks").start(this::checkLoop);
    }

    private void checkLoop() {
        while (!closed) {
            try {
                Thread.sleep(checkEvery);
            } catch (InterruptedException e) {
                return;
            }
            checkAll();
        }
    }

    private void checkAll() {
        List<String> current = servers.get();
        healthy.retainAll(current);
        for (String server : current) {
            if (ready(server)) {
                healthy.add(server);
            } else {
                healthy.remove(server);
            }
        }
    }

    private boolean ready(String server) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server + "/readyz"))
                    .timeout(CHECK_TIMEOUT).GET().build();
            return checks.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The servers whose last check answered 200. */
    public Set<String> healthy() {
        return Set.copyOf(healthy);
    }

    /** The next healthy server, round-robin; waits (at most 30 s) while there is none. */
    public String pick() {
        Instant deadline = Instant.now().plus(NO_SERVER_WAIT);
        while (true) {
            List<String> candidates = servers.get().stream().filter(healthy::contains).toList();
            if (!candidates.isEmpty()) {
                return candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no server has been ready for " + NO_SERVER_WAIT);
            }
            try {
                Thread.sleep(checkEvery);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A signed API call (as {@link RawClient} signs) through the balancer. */
    public Reply call(TestServer.Account account, String action, String region, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        while (true) {
            String server = pick();
            HttpRequest request = SignedClient.signed(URI.create("http://" + server), account.secretId(),
                    account.secretKey(), action, region, bytes, System.currentTimeMillis() / 1000)
                    .timeout(CALL_TIMEOUT).build();
            try {
                HttpResponse<String> response = calls.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return new Reply(server, null, "HTTP " + response.statusCode() + ": " + response.body(), false);
                }
                return new Reply(server, JSON.readTree(response.body()).get("Response"), null, false);
            } catch (ConnectException refused) {
                healthy.remove(server); // never reached the node: the next server gets it
            } catch (IOException e) {
                return new Reply(server, null, e.toString(), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        checker.interrupt();
    }
}
