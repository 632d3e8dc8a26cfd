package io.imagehub.bench;

import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A signing load generator for the API: N clients, each on its own keep-alive connection and virtual thread, send
 * pre-signed TC3 requests for a fixed time, and record every latency. Raw HTTP/1.1 over a socket keeps the generator's own cost small on a 2-core machine that it shares
 * with the server.
 */
public final class LoadGenerator {
    /**
     * How imagehub's error envelopes begin (Error is the first member of Response). Searching the whole body for
     * "Error" instead would take an image named Error for a failure, and costs the clients' CPU in proportion to the
     * answer's size, on the cores the server shares with them.
     */
    private static final byte[] ERROR_ENVELOPE = "{\"Response\":{\"Error\":".getBytes(StandardCharsets.UTF_8);

    /** What one scenario measured. */
    public record Result(String name, int clients, long requests, long errors, double seconds, double p50Ms,
                         double p99Ms) {
        public double perSecond() {
            return requests / seconds;
        }

        public String row() {
            return String.format(Locale.ROOT, "| %-44s | %3d | %10.0f | %7.2f | %7.2f | %6d |", name, clients, perSecond(),
                    p50Ms, p99Ms, errors);
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"name\":\"%s\",\"clients\":%d,\"requests\":%d,\"errors\":%d,"
                    + "\"reqPerSec\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f}", name, clients, requests, errors, perSecond(),
                    p50Ms, p99Ms);
        }
    }

    /** One request to send: who signs it, which action, in which region, with which body. */
    public record Call(String secretId, String secretKey, String action, String region, String body) {
    }

    private final String host;
    private final int port;

    public LoadGenerator(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Runs {@code clients} clients for {@code warmupSeconds} (not recorded) and then {@code seconds}. Client i sends
     * {@code calls.apply(i)} again and again; a call may differ per client (e.g. per-client accounts or images).
     */
    public Result run(String name, int clients, double warmupSeconds, double seconds, IntFunction<Call> calls)
            throws InterruptedException {
        return run(name, clients, warmupSeconds, seconds, c -> List.of(calls.apply(c)), true);
    }

    /**
     * Like the above, but client i sends the calls of {@code sequences.apply(i)} in order: round and round if
     * {@code cycle} (e.g. SHARE then CANCEL), else once each, stopping early when they run out (e.g. a list of
     * images to delete). Every request is signed before the clock starts, so signing costs the run nothing; a
     * scenario must therefore finish within the server's 5-minute signature window.
     */
    public Result run(String name, int clients, double warmupSeconds, double seconds,
                      IntFunction<List<Call>> sequences, boolean cycle) throws InterruptedException {
        byte[][][] requests = new byte[clients][][];
        for (int c = 0; c < clients; c++) {
            requests[c] = sequences.apply(c).stream().map(this::sign).toArray(byte[][]::new);
        }
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long[] lastDone = new long[clients];
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            byte[][] own = requests[c];
            threads.add(Thread.ofVirtual().start(() -> {
                long[] times = new long[1 << 16];
                int n = 0;
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                    for (int next = 0; cycle || next < own.length; next++) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        out.write(own[next % own.length]);
                        out.flush();
                        boolean ok = readResponse(in);
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            if (!ok) {
                                errors.incrementAndGet();
                            }
                            if (n == times.length) {
                                times = Arrays.copyOf(times, n * 2);
                            }
                            times[n++] = done - now;
                            lastDone[client] = done;
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
                latencies[client] = times;
                counts[client] = n;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        // a finite sequence may run out early: then the run lasted until its last answer
        double measured = Math.min(seconds, (Arrays.stream(lastDone).max().orElse(end) - measureFrom) / 1e9);
        return new Result(name, clients, total, errors.get(), measured, percentile(all, 0.50), percentile(all, 0.99));
    }

    static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private byte[] sign(Call call) {
        byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = System.currentTimeMillis() / 1000;
        String hostHeader = host + ":" + port;
        String contentType = "application/json; charset=utf-8";
        String authorization = Tc3Signer.authorization(call.secretId(), call.secretKey(), "127", timestamp, "POST", "",
                List.of(new Header("content-type", contentType), new Header("host", hostHeader)), body);
        String head = "POST / HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: " + contentType
                + "\r\nAuthorization: " + authorization + "\r\nX-TC-Action: " + call.action()
                + "\r\nX-TC-Version: 2017-03-12\r\nX-TC-Timestamp: " + timestamp
                + (call.region() == null ? "" : "\r\nX-TC-Region: " + call.region())
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Reads one response; true if it is HTTP 200 without an error envelope. */
    private static boolean readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
        }
        String headers = head.toString();
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers.startsWith("HTTP/1.1 200") && !startsWith(body, ERROR_ENVELOPE);
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }
}
