package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.bench.DataGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of issue 14 (bench/soak.sh, not a test): {@link Cluster} with three nodes on PostgreSQL + S3 (the server's
 * JVM settings of bin/imagehub), seeded with {@link DataGenerator}'s population (default 100,000 images), under
 * {@link MixedWorkload} plus listing readers on the seeded owners' 500-image accounts for {@code minutes}; in the
 * middle one node is killed with SIGKILL and started again. Every 10 s it samples each node's resident memory, heap,
 * threads, open files and pool connections, PostgreSQL's connections, and the calls per second. Then the same load
 * runs for {@code h2Seconds} on one node over embedded H2 with the same population, for the single-node figure.
 * Prints Markdown; the samples go to target/soak-samples.csv. Exit code 1 if any call failed unexpectedly.
 * Arguments: [minutes=10] [images=100000] [clients=16] [readers=8] [h2Seconds=90].
 */
public final class ClusterSoak {
    private static final List<String> SERVER_JVM = List.of("-XX:+UseParallelGC", "-Xmn32m", "-Xss512k", "-Xmx256m");
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    /** Ten minutes of imports must not meet the default quota (500 per account and region). */
    private static final int IMAGE_QUOTA = 5000;
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern POOL = Pattern.compile("^hikaricp_connections\\{[^}]*} (\\S+)$", Pattern.MULTILINE);

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<LoadBalancer.Reply> lost = new CopyOnWriteArrayList<>();
    private final AtomicLong readerCalls = new AtomicLong();
    private volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int readers = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int h2Seconds = args.length > 4 ? Integer.parseInt(args[4]) : 90;
        if (System.getenv("IMAGEHUB_MASTER_KEY") == null) {
            throw new IllegalStateException("set IMAGEHUB_MASTER_KEY (bench/soak.sh does): the seeded keys and the nodes share it");
        }
        Path work = Files.createTempDirectory("imagehub-soak");
        boolean clean = new ClusterSoak().run(work, minutes, images, clients, readers, h2Seconds);
        TestServer.deleteTree(work);
        System.exit(clean ? 0 : 1);
    }

    private boolean run(Path work, int minutes, int images, int clients, int readers, int h2Seconds) throws Exception {
        double clusterRate;
        List<String> killedEndpoints = new ArrayList<>();
        try (PrintWriter samples = new PrintWriter(Files.newBufferedWriter(Path.of("target/soak-samples.csv")));
             Cluster cluster = Cluster.start(Cluster.Options.defaults().jvmOptions(SERVER_JVM).leaseSeconds(10)
                     .config(Map.of("gcIntervalSeconds", 300, "gcGraceSeconds", 300, "imageQuota", IMAGE_QUOTA)))) {
            Instant t0 = Instant.now();
            Path seed = work.resolve("seed");
            DataGenerator.main(new String[] {seed.toString(), Integer.toString(images), "1000", "10000",
                    cluster.jdbcUrl(), "postgres"});
            System.out.printf("seeded %,d images through batch JDBC in %.0f s%n", images,
                    Duration.between(t0, Instant.now()).toMillis() / 1e3);
            samples.println("seconds,node,rss_mib,heap_mib,threads,open_files,pool_connections,postgres_connections,calls_per_second");
            MixedWorkload workload = new MixedWorkload(cluster.balancer()::call, cluster.createAccounts("soak", clients),
                    smallImages(cluster.files()), Integer.MAX_VALUE, Duration.ZERO);
            List<Thread> threads = new ArrayList<>(workload.start(14));
            threads.addAll(readers(cluster.balancer()::call, fixtures(seed), readers));
            Instant start = Instant.now();
            Instant end = start.plus(Duration.ofMinutes(minutes));
            Instant killAt = start.plus(Duration.ofMinutes(minutes).dividedBy(2));
            boolean killedOnce = false;
            long lastCalls = 0;
            Instant lastSample = start;
            while (Instant.now().isBefore(end)) {
                Thread.sleep(SAMPLE_EVERY);
                if (!killedOnce && Instant.now().isAfter(killAt)) {
                    killedEndpoints.add(cluster.node(1).endpoint());
                    cluster.kill(1);
                    cluster.restart(1);
                    killedOnce = true;
                    System.out.printf("killed node 1 (SIGKILL) at %d s and started it again%n",
                            Duration.between(start, Instant.now()).toSeconds());
                }
                long calls = workload.calls.get() + readerCalls.get();
                Instant now = Instant.now();
                double rate = (calls - lastCalls) * 1000.0 / Duration.between(lastSample, now).toMillis();
                lastCalls = calls;
                lastSample = now;
                sample(samples, Duration.between(start, now).toSeconds(), cluster, rate);
            }
            stopping = true;
            workload.stop(threads);
            long total = workload.calls.get() + readerCalls.get();
            clusterRate = total * 1000.0 / Duration.between(start, Instant.now()).toMillis();
            System.out.printf("cluster: %d minutes, %,d calls (%.0f/s), %,d changes, %d calls lost in flight on the killed node%n",
                    minutes, total, clusterRate, workload.changes.size(), workload.lost.size() + lost.size());
            errors.addAll(workload.errors);
            lost.addAll(workload.lost);
            lost.stream().filter(r -> !killedEndpoints.contains(r.server()))
                    .forEach(r -> errors.add("lost on a node that was not killed: " + r));
        }
        double h2Rate = singleNodeH2(work, images, clients, readers, h2Seconds);
        System.out.printf("single node, H2: %,.0f calls/s; three nodes, PostgreSQL + S3: %,.0f calls/s (%.0f%%)%n",
                h2Rate, clusterRate, 100 * clusterRate / h2Rate);
        System.out.printf("unexpected errors: %d%n", errors.size());
        errors.stream().limit(20).forEach(e -> System.out.println("  " + e));
        return errors.isEmpty();
    }

    /** The same load on one node over embedded H2 with the same population; returns its calls per second. */
    private double singleNodeH2(Path work, int images, int clients, int readers, int seconds) throws Exception {
        Path dataDir = work.resolve("h2");
        DataGenerator.main(new String[] {dataDir.toString(), Integer.toString(images), "1000", "10000"});
        stopping = false;
        try (FileServer files = new FileServer();
             NodeProcess node = new NodeProcess(dataDir, Map.of("IMAGEHUB_ADMIN_TOKEN", Cluster.ADMIN_TOKEN),
                     List.of("--import-allow", files.baseUrl(), "--image-quota", Integer.toString(IMAGE_QUOTA)), SERVER_JVM);
             LoadBalancer direct = new LoadBalancer(() -> List.of(node.endpoint()), Duration.ofMillis(100))) {
            MixedWorkload workload = new MixedWorkload(direct::call,
                    TestServer.createAccounts(node.endpoint(), Cluster.ADMIN_TOKEN, "soak", clients), smallImages(files), Integer.MAX_VALUE, Duration.ZERO);
            long before = readerCalls.get();
            List<Thread> threads = new ArrayList<>(workload.start(14));
            threads.addAll(readers(direct::call, fixtures(dataDir), readers));
            Instant start = Instant.now();
            Thread.sleep(Duration.ofSeconds(seconds));
            stopping = true;
            workload.stop(threads);
            errors.addAll(workload.errors);
            workload.lost.forEach(r -> errors.add("lost on the single node: " + r));
            long total = workload.calls.get() + readerCalls.get() - before;
            return total * 1000.0 / Duration.between(start, Instant.now()).toMillis();
        }
    }

    private static List<String> smallImages(FileServer files) {
        return List.of(files.put("soak-a.raw", ImageBytes.disk(64 << 10, 1)), files.put("soak-b.raw", ImageBytes.disk(5 << 20, 2)));
    }

    /** The seeded owners (500 images each, 50 shared) and their recipients, from bench-fixtures.json. */
    private static List<TestServer.Account> fixtures(Path dataDir) throws IOException {
        JsonNode fixtures = new ObjectMapper().readTree(dataDir.resolve("bench-fixtures.json").toFile());
        List<TestServer.Account> accounts = new ArrayList<>();
        for (JsonNode client : fixtures.get("Clients")) {
            for (String role : List.of("Owner", "Recipient")) {
                JsonNode a = client.get(role);
                accounts.add(new TestServer.Account(a.get("AccountId").asText(), a.get("SecretId").asText(),
                        a.get("SecretKey").asText()));
            }
        }
        return accounts;
    }

    /** Readers listing the seeded accounts' images (a page of 20 of 500 owned, or the 50 shared with them). */
    private List<Thread> readers(MixedWorkload.Api api, List<TestServer.Account> accounts, int count) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Random random = new Random(i);
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stopping) {
                    TestServer.Account account = accounts.get(random.nextInt(accounts.size()));
                    readerCalls.incrementAndGet();
                    LoadBalancer.Reply reply = api.call(account, "DescribeImages", MixedWorkload.GZ, random.nextBoolean()
                            ? "{\"Limit\":20}"
                            : "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"SHARED_IMAGE\"]}],\"Limit\":100}");
                    if (reply.lost()) {
                        lost.add(reply);
                    } else if (!reply.succeeded()) {
                        errors.add("DescribeImages as a seeded account: " + reply.outcome() + " " + reply.failure());
                    }
                }
            }));
        }
        return threads;
    }

    private static void sample(PrintWriter out, long seconds, Cluster cluster, double rate) throws Exception {
        long postgres = Long.parseLong(new NormalState.Reader(cluster.database())
                .rows("SELECT COUNT(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").get(0)[0]);
        for (int i = 0; i < cluster.size(); i++) {
            NodeProcess node = cluster.node(i);
            Map<String, Long> status = procStatus(node.pid());
            String metrics = get(node.endpoint(), "/metrics");
            out.printf("%d,%d,%d,%.0f,%d,%d,%.0f,%d,%.0f%n", seconds, i, status.getOrDefault("VmRSS", 0L) >> 10,
                    sum(HEAP, metrics) / (1 << 20), status.getOrDefault("Threads", 0L), openFiles(node.pid()),
                    sum(POOL, metrics), postgres, rate);
        }
        out.flush();
    }

    /** VmRSS (KiB) and Threads from /proc/PID/status. */
    private static Map<String, Long> procStatus(long pid) {
        try {
            Map<String, Long> values = new java.util.HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                String[] parts = line.split("\\s+");
                if (line.startsWith("VmRSS:") || line.startsWith("Threads:")) {
                    values.put(parts[0].replace(":", ""), Long.parseLong(parts[1]));
                }
            }
            return values;
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static long openFiles(long pid) {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static double sum(Pattern pattern, String text) {
        double total = 0;
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static String get(String endpoint, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
