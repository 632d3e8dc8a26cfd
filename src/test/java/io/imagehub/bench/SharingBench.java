package io.imagehub.bench;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import io.imagehub.it.FileServer;
import io.imagehub.it.Images;
import io.imagehub.it.Shares;
import io.imagehub.it.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load generator for sharing (not a test: run it with bench/sharing.sh). One embedded node on loopback; an owner
 * with 500 images, all shared with one recipient. Measures, at 1 and 32 concurrent clients (official SDK clients on
 * virtual threads, each waiting for its answer before the next call): DescribeRegions (no domain work: the bare
 * stack), DescribeImages as the recipient (default page, and the SHARED_IMAGE filter with Limit 100), and
 * ModifyImageSharePermission (each client toggles SHARE/CANCEL of one account on its own image).
 *
 * <p>Arguments: [warm-up seconds, default 3] [measured seconds, default 8].
 */
public final class SharingBench {
    private static final String GZ = "ap-guangzhou";
    private static final int SHARED_IMAGES = 500;
    private static final int[] CLIENT_COUNTS = {1, 32};

    /** One call of the operation under test, by client number {@code client}, for the {@code n}-th time. */
    @FunctionalInterface
    interface Call {
        void run(int client, long n) throws Exception;
    }

    record Result(String name, int clients, long calls, long errors, double seconds, long p50Micros, long p99Micros) {
        String row() {
            return String.format("| %-54s | %7d | %9.0f | %8.2f | %8.2f | %6d |", name, clients, calls / seconds,
                    p50Micros / 1000.0, p99Micros / 1000.0, errors);
        }
    }

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 8);
        try (FileServer files = new FileServer();
             TestServer server = TestServer.importingFrom(files, c -> {
                 c.imageQuota = SHARED_IMAGES;
                 c.jobWorkers = 4;
             })) {
            TestServer.Account owner = server.createAccount("bench-owner");
            TestServer.Account recipient = server.createAccount("bench-recipient");
            TestServer.Account toggled = server.createAccount("bench-toggled");
            CvmClient ownerGz = server.client(owner, GZ);
            String url = files.put("bench.raw", new byte[4096]);
            List<String> images = setUp(ownerGz, url, recipient.accountId());

            int maxClients = Arrays.stream(CLIENT_COUNTS).max().orElseThrow();
            List<CvmClient> owners = new ArrayList<>();
            List<CvmClient> recipients = new ArrayList<>();
            for (int i = 0; i < maxClients; i++) { // one SDK client (own connection pool) per simulated user
                owners.add(server.client(owner, GZ));
                recipients.add(server.client(recipient, GZ));
            }
            DescribeImagesRequest sharedPage = Shares.listing(0, 100, "SHARED_IMAGE");
            long total = recipients.get(0).DescribeImages(sharedPage).getTotalCount();
            if (total != SHARED_IMAGES) {
                throw new IllegalStateException("the recipient sees " + total + " shared images, not " + SHARED_IMAGES);
            }

            List<Result> results = new ArrayList<>();
            for (int clients : CLIENT_COUNTS) {
                results.add(measure("DescribeRegions (bare stack)", clients, warmUp, measured,
                        (c, n) -> recipients.get(c).DescribeRegions(new DescribeRegionsRequest())));
                results.add(measure("DescribeImages as recipient (default page of 20)", clients, warmUp, measured,
                        (c, n) -> recipients.get(c).DescribeImages(new DescribeImagesRequest())));
                results.add(measure("DescribeImages as recipient (SHARED_IMAGE, Limit 100)", clients, warmUp, measured,
                        (c, n) -> recipients.get(c).DescribeImages(sharedPage)));
                results.add(measure("ModifyImageSharePermission (SHARE/CANCEL toggle)", clients, warmUp, measured,
                        (c, n) -> Shares.modify(owners.get(c), images.get(c), n % 2 == 0 ? "SHARE" : "CANCEL",
                                toggled.accountId())));
            }
            System.out.printf("%s, %d cores, %s %s, warm-up %ds, measured %ds per row%n", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), warmUp.toSeconds(), measured.toSeconds());
            System.out.println("| operation                                              | clients |     req/s | p50 (ms) | p99 (ms) | errors |");
            System.out.println("|--------------------------------------------------------|---------|-----------|----------|----------|--------|");
            results.forEach(r -> System.out.println(r.row()));
        }
    }

    /** Imports the owner's images (in batches, to keep the job queue short) and shares every one with the recipient. */
    private static List<String> setUp(CvmClient ownerGz, String url, String recipientId) throws Exception {
        List<String> images = new ArrayList<>();
        for (int i = 0; i < SHARED_IMAGES; i++) {
            images.add(Images.importImage(ownerGz, url, "bench-" + i));
        }
        for (String image : images) {
            if (!"NORMAL".equals(Images.awaitSettled(ownerGz, image).getImageState())) {
                throw new IllegalStateException(image + " did not import");
            }
            Shares.share(ownerGz, image, recipientId);
        }
        return images;
    }

    static Result measure(String name, int clients, Duration warmUp, Duration measured, Call call)
            throws Exception {
        Instant start = Instant.now().plus(warmUp);
        Instant end = start.plus(measured);
        List<Future<long[]>> perClient = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                perClient.add(threads.submit(() -> runClient(client, call, start, end)));
            }
        }
        List<Long> latencies = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : perClient) {
            long[] r = f.get();
            errors += r[0];
            for (int i = 1; i < r.length; i++) {
                latencies.add(r[i]);
            }
        }
        latencies.sort(null);
        long calls = latencies.size();
        return new Result(name, clients, calls, errors, measured.toMillis() / 1000.0,
                percentile(latencies, 0.50), percentile(latencies, 0.99));
    }

    /** Calls until {@code end}; returns [errors, latency micros of each call that started after {@code start}...]. */
    private static long[] runClient(int client, Call call, Instant start, Instant end) {
        List<Long> micros = new ArrayList<>();
        long errors = 0;
        long startNanos = System.nanoTime() + Duration.between(Instant.now(), start).toNanos();
        long endNanos = startNanos + Duration.between(start, end).toNanos();
        for (long n = 0; ; n++) {
            long t0 = System.nanoTime();
            if (t0 >= endNanos) {
                break;
            }
            boolean ok = true;
            try {
                call.run(client, n);
            } catch (Exception e) {
                ok = false;
            }
            long t1 = System.nanoTime();
            if (t0 >= startNanos && t1 <= endNanos) {
                micros.add((t1 - t0) / 1000);
                if (!ok) {
                    errors++;
                }
            }
        }
        long[] out = new long[micros.size() + 1];
        out[0] = errors;
        for (int i = 0; i < micros.size(); i++) {
            out[i + 1] = micros.get(i);
        }
        return out;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
