package io.imagehub.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting HTTP/1.1 reverse proxy on a free loopback port, in front of an S3 endpoint (or any HTTP
 * server): a real network hop whose faults are the ones an object store shows, chosen per test.
 *
 * <ul>
 *   <li>{@link #flaky}: a share of the requests fail, each with one of HTTP 500, HTTP 503, a connection reset
 *   before the request is forwarded, a reset after it was forwarded (the upstream did the work, the answer is
 *   lost), or, for a response with a body, the body cut off half-way;</li>
 *   <li>{@link #latency}: every request waits this long before it is forwarded (a slow store);</li>
 *   <li>{@link #failEverything}: every request is answered HTTP 503 (a store that is down);</li>
 *   <li>{@link #failAfterUploads}: requests pass until that many object uploads (PUTs with a body) have, then
 *   everything is answered HTTP 503 (a store that goes down in the middle of an import or a copy).</li>
 * </ul>
 *
 * <p>The choice is deterministic for a seed whatever the order in which concurrent requests arrive: whether the
 * n-th request for one method and path fails, and how, depends only on the seed, that method and path, and n. At
 * most {@code maxConsecutive} requests in a row for one method and path fail, so a client that makes more attempts
 * than that always gets through, and one that makes fewer may not. Every response is sent with
 * {@code Connection: close}.
 */
public final class FaultProxy implements AutoCloseable {
    /** What the proxy did to a request. */
    public enum Fault { ERROR_500, ERROR_503, RESET_BEFORE, RESET_AFTER, TRUNCATED_BODY }

    /** A reset after forwarding a read is the same to the client as one before; a cut-off body is what reads add. */
    private static final Fault[] READ_FAULTS = {Fault.ERROR_500, Fault.ERROR_503, Fault.RESET_BEFORE, Fault.TRUNCATED_BODY};
    private static final Fault[] WRITE_FAULTS = {Fault.ERROR_500, Fault.ERROR_503, Fault.RESET_BEFORE, Fault.RESET_AFTER};
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "expect", "proxy-connection");

    private final URI upstream;
    private final long seed;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile double faultRate;
    private volatile int maxConsecutive;
    private volatile long latencyMillis;
    private volatile boolean failEverything;
    /** Uploads still let through before everything fails; null: no such outage planned. */
    private volatile AtomicInteger uploadsLeft;

    /** How many requests for one method and path came so far, and how many of the last ones in a row failed. */
    private static final class KeyState {
        int seen;
        int consecutiveFaults;
    }

    public FaultProxy(URI upstream, long seed) throws IOException {
        this.upstream = upstream;
        this.seed = seed;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
    }

    /** The proxy's address, to give clients instead of the upstream's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** A share {@code rate} (0..1) of requests fail, never more than {@code maxConsecutive} in a row per method and path. */
    public FaultProxy flaky(double rate, int maxConsecutive) {
        this.faultRate = rate;
        this.maxConsecutive = maxConsecutive;
        return this;
    }

    public FaultProxy latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    public FaultProxy failEverything(boolean on) {
        this.failEverything = on;
        return this;
    }

    public FaultProxy failAfterUploads(int uploads) {
        this.uploadsLeft = new AtomicInteger(uploads);
        return this;
    }

    /** Back to forwarding every request at once (the per-key counts go on, so the schedule stays deterministic). */
    public FaultProxy heal() {
        uploadsLeft = null;
        return flaky(0, 0).latency(0).failEverything(false);
    }

    public int requests() {
        return requests.get();
    }

    /** How many requests got {@code fault} so far. */
    public int injected(Fault fault) {
        AtomicInteger count = injected.get(fault);
        return count == null ? 0 : count.get();
    }

    public Map<Fault, AtomicInteger> injectedByKind() {
        return Map.copyOf(injected);
    }

    public int injectedTotal() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closing) {
                return;
            }
        }
    }

    private record Head(String startLine, List<String[]> headers) {
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        boolean chunked() {
            String te = header("Transfer-Encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String cl = header("Content-Length");
            return cl == null ? -1 : Long.parseLong(cl.trim());
        }

        /** This head with its body framed by a Content-Length of {@code length} (chunked bodies are read whole). */
        Head withLength(long length) {
            List<String[]> framed = new ArrayList<>();
            for (String[] h : headers) {
                if (!h[0].equalsIgnoreCase("Transfer-Encoding") && !h[0].equalsIgnoreCase("Content-Length")) {
                    framed.add(h);
                }
            }
            framed.add(new String[] {"Content-Length", String.valueOf(length)});
            return new Head(startLine, framed);
        }

        /** The head as sent on, with {@code Connection: close} instead of the hop-by-hop headers. */
        byte[] forwarded() {
            StringBuilder out = new StringBuilder(startLine).append("\r\n");
            for (String[] h : headers) {
                if (!HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
                    out.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            return out.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Head request = readHead(in);
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = readBody(in, request, false);
            String[] line = request.startLine().split(" ");
            String method = line[0];
            String path = line.length > 1 ? line[1].replaceFirst("\\?.*", "") : "/";
            boolean upload = "PUT".equals(method) && body.length > 0 && request.header("x-amz-copy-source") == null;
            Fault fault = outage(upload) ? Fault.ERROR_503 : decide(method + " " + path, method);
            if (fault != null) {
                injected.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
            }
            if (fault == Fault.ERROR_500 || fault == Fault.ERROR_503) {
                writeError(out, fault == Fault.ERROR_500 ? 500 : 503, "HEAD".equals(method));
                return;
            }
            if (fault == Fault.RESET_BEFORE) {
                reset(client);
                return;
            }
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            forward(request, body, "HEAD".equals(method), out, client, fault);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client or the upstream went away: nothing to answer
        } finally {
            open.remove(client);
        }
    }

    /** Whether a planned outage ({@link #failAfterUploads}) has begun; counts {@code upload} against it if not. */
    private boolean outage(boolean upload) {
        AtomicInteger left = uploadsLeft;
        if (left == null) {
            return false;
        }
        return upload ? left.getAndDecrement() <= 0 : left.get() <= 0;
    }

    /** The fault for the next request on {@code key}, or null to forward it as it is. */
    private Fault decide(String key, String method) {
        if (failEverything) {
            return Fault.ERROR_503;
        }
        KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
        synchronized (state) {
            int n = state.seen++;
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode() * 1_000_003L + n);
            if (state.consecutiveFaults >= maxConsecutive || random.nextDouble() >= faultRate) {
                state.consecutiveFaults = 0;
                return null;
            }
            state.consecutiveFaults++;
            Fault[] kinds = "GET".equals(method) ? READ_FAULTS : WRITE_FAULTS;
            return kinds[random.nextInt(kinds.length)];
        }
    }

    private void forward(Head request, byte[] body, boolean head, OutputStream out, Socket client, Fault fault)
            throws IOException {
        try (Socket up = new Socket()) {
            up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
            up.setSoTimeout(60_000);
            OutputStream upOut = up.getOutputStream();
            upOut.write(request.withLength(body.length).forwarded());
            upOut.write(body);
            upOut.flush();
            InputStream upIn = new BufferedInputStream(up.getInputStream());
            Head response = readHead(upIn);
            if (response == null) {
                throw new IOException("the upstream closed without answering");
            }
            int status = Integer.parseInt(response.startLine().split(" ")[1]);
            boolean noBody = head || status == 204 || status == 304 || status / 100 == 1;
            byte[] responseBody = noBody ? new byte[0] : readBody(upIn, response, true);
            if (fault == Fault.RESET_AFTER) {
                reset(client); // the upstream did the work; its answer is lost
                return;
            }
            out.write(response.withLength(head ? Math.max(0, response.contentLength()) : responseBody.length).forwarded());
            if (fault == Fault.TRUNCATED_BODY && responseBody.length > 1) {
                out.write(responseBody, 0, responseBody.length / 2); // then the connection closes: a premature end
            } else {
                out.write(responseBody);
            }
            out.flush();
        }
    }

    private static void writeError(OutputStream out, int status, boolean head) throws IOException {
        String code = status == 500 ? "InternalError" : "ServiceUnavailable";
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>injected by the fault proxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 500 ? " Internal Server Error" : " Service Unavailable")
                + "\r\nContent-Type: application/xml\r\nContent-Length: " + (head ? 0 : xml.length)
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(xml);
        }
        out.flush();
    }

    /** Closes with an RST (linger 0) rather than a FIN: the peer sees "connection reset". */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** The start line and headers, or null if the connection closed before a request began. */
    private static Head readHead(InputStream in) throws IOException {
        String startLine = readLine(in);
        if (startLine == null || startLine.isEmpty()) {
            return null;
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        return new Head(startLine, headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * The message body as the peer framed it: by Content-Length, chunked (returned decoded), or, unframed, none (a
     * request) or up to the end of the connection (a response, {@code toEnd}).
     */
    private static byte[] readBody(InputStream in, Head head, boolean toEnd) throws IOException {
        if (head.chunked()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("chunked body ended early");
                }
                int size = Integer.parseInt(sizeLine.replaceFirst(";.*", "").trim(), 16);
                if (size == 0) {
                    while (true) { // trailers up to the empty line
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            break;
                        }
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        long length = head.contentLength();
        if (length < 0 && toEnd) {
            return in.readAllBytes();
        }
        if (length <= 0) {
            return new byte[0];
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("body ended early");
        }
        return body;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
