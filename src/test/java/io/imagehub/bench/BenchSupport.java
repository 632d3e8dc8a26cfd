package io.imagehub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.it.FileServer;
import io.imagehub.it.RawClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Set-up chores of the API benchmarks against a running server: accounts, seeded images, the results file. */
public final class BenchSupport {
    public record Account(String accountId, String secretId, String secretKey) {
    }

    private final String endpoint;
    private final String adminToken;
    private final ObjectMapper json = new ObjectMapper();

    public BenchSupport(String endpoint, String adminToken) {
        this.endpoint = endpoint;
        this.adminToken = adminToken;
    }

    public List<Account> accounts(String name, int count) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + endpoint + "/admin/accounts"))
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("Name", name, "Count", count))))
                .build(), HttpResponse.BodyHandlers.ofString());
        List<Account> accounts = new ArrayList<>();
        for (JsonNode n : json.readTree(response.body())) {
            accounts.add(new Account(n.get("AccountId").asText(), n.get("SecretId").asText(), n.get("SecretKey").asText()));
        }
        return accounts;
    }

    public RawClient client(Account account) {
        return new RawClient(endpoint, account.secretId(), account.secretKey());
    }

    /** Imports {@code count} small images for the account in the region through the API and waits for them. */
    public List<String> seedImages(Account account, String region, int count, FileServer files) throws Exception {
        RawClient client = client(account);
        String url = files.put("bench-" + account.accountId() + ".raw", new byte[4096]);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode r = client.call("ImportImage", region, json.writeValueAsString(Map.of("Architecture", "x86_64",
                    "OsType", "CentOS", "OsVersion", "7", "ImageUrl", url, "ImageName", "bench-" + i)));
            if (!r.has("ImageId")) {
                throw new IllegalStateException("seeding failed: " + r);
            }
            ids.add(r.get("ImageId").asText());
        }
        for (String id : ids) {
            while (!client.call("DescribeImages", region, "{\"ImageIds\":[\"" + id + "\"]}")
                    .at("/ImageSet/0/ImageState").asText().equals("NORMAL")) {
                Thread.sleep(20);
            }
        }
        return ids;
    }

    /**
     * Runs {@code call} {@code warmup} times untimed (each with its own index), then {@code rounds} times one after
     * the other, each timed.
     */
    public static LoadGenerator.Result timeSequential(String name, int warmup, int rounds, IntFunction<?> call) {
        for (int i = 0; i < warmup; i++) {
            call.apply(i);
        }
        long[] latencies = new long[rounds];
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            call.apply(warmup + i);
            latencies[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new LoadGenerator.Result(name, 1, rounds, 0, seconds, LoadGenerator.percentile(latencies, 0.50),
                LoadGenerator.percentile(latencies, 0.99));
    }

    /** Prints the table and writes the results as JSON lines under bench/results/ (or to env BENCH_RESULTS). */
    public static void report(String title, List<LoadGenerator.Result> results) throws Exception {
        System.out.println();
        System.out.println("### " + title + " (" + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores)");
        System.out.println("| scenario | clients | req/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(r.row()));
        Path dir = Path.of("bench", "results");
        Path file = System.getenv("BENCH_RESULTS") != null ? Path.of(System.getenv("BENCH_RESULTS"))
                : dir.resolve(title.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase() + "-" + LocalDate.now() + ".jsonl");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, results.stream().map(LoadGenerator.Result::json).toList());
        System.out.println("(written to " + file + ")");
    }
}
