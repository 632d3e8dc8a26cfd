package io.imagehub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.bench.LoadGenerator.Call;
import io.imagehub.bench.LoadGenerator.Result;
import io.imagehub.it.FileServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The API's figures at 16 signed clients, on a data dir filled by {@link DataGenerator}: the reads and writes of
 * issue 6 next to DescribeRegions, which does no domain or database work and so measures the stack itself (HTTP,
 * TC3 signature check, dispatch, JSON) in the same run.
 *
 * <p>Suite {@code api}: the reads (DescribeImages as owner and as recipient, DescribeImageSharePermission,
 * DescribeInstances where the server has it) and the writes (SHARE/CANCEL, ModifyImageAttribute, DeleteImages).
 * Suite {@code glance}: the operations equivalent to Glance's bench (ImportImage ~ create, SHARE ~ add member,
 * DescribeImages as recipient ~ list as member, DeleteImages ~ delete), for bench/compare-glance.
 *
 * Suite {@code all}: both, on one server (each deletes from its own half of the delete pool).
 *
 * <p>Usage: ApiBench HOST PORT ADMIN_TOKEN FIXTURES_JSON [SECONDS] [SUITE] [LABEL] (see bench/run).
 */
public final class ApiBench {
    private static final int CLIENTS = DataGenerator.CLIENTS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadGenerator load;
    private final BenchSupport support;
    private final JsonNode clients;
    private final String region;
    private final double seconds;
    private final List<Result> results = new ArrayList<>();

    private ApiBench(LoadGenerator load, BenchSupport support, JsonNode fixtures, double seconds) {
        this.load = load;
        this.support = support;
        this.clients = fixtures.get("Clients");
        this.region = fixtures.get("Region").asText();
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        JsonNode fixtures = JSON.readTree(Path.of(args[3]).toFile());
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        String suite = args.length > 5 ? args[5] : "api";
        String label = args.length > 6 ? args[6] : "H2";
        ApiBench bench = new ApiBench(new LoadGenerator(host, port), new BenchSupport(host + ":" + port, args[2]),
                fixtures, seconds);
        bench.warmUp();
        switch (suite) {
            case "api" -> bench.api();
            case "glance" -> bench.glanceEquivalents();
            case "all" -> {
                bench.api();
                bench.glanceEquivalents();
            }
            default -> throw new IllegalArgumentException("unknown suite " + suite);
        }
        BenchSupport.report("imagehub " + suite + " " + label, bench.results);
    }

    private void api() throws Exception {
        measure("DescribeRegions (stack no-op)", c -> call(owner(c), "DescribeRegions", "{}"));
        measure("DescribeImages as owner (500 images, Limit 20)", c -> call(owner(c), "DescribeImages", "{\"Limit\":20}"));
        measure("DescribeImages as recipient (50 shared)", c -> call(recipient(c), "DescribeImages", sharedToMe()));
        measure("DescribeImageSharePermission (10 shares)", c -> call(owner(c), "DescribeImageSharePermission",
                "{\"ImageId\":\"" + fixture(c, "ShareListImage") + "\"}"));
        if (!support.client(owner(0)).call("DescribeInstances", region, "{}").has("Error")) {
            measure("DescribeInstances (none)", c -> call(owner(c), "DescribeInstances", "{}"));
        }
        measureSequence("ModifyImageSharePermission SHARE/CANCEL", true, c -> List.of(
                share(c, fixture(c, "ToggleShareImage"), fixture(c, "ToggleShareAccount"), "SHARE"),
                share(c, fixture(c, "ToggleShareImage"), fixture(c, "ToggleShareAccount"), "CANCEL")));
        measureSequence("ModifyImageAttribute", true, c -> List.of(
                modify(c, "{\"ImageId\":\"%s\",\"ImageDescription\":\"first\"}"),
                modify(c, "{\"ImageId\":\"%s\",\"ImageDescription\":\"second\"}")));
        measureSequence("DeleteImages (one image each)", false, c -> deletes(c, 0));
        measure("DescribeRegions (stack no-op, again)", c -> call(owner(c), "DescribeRegions", "{}"));
    }

    /**
     * A freshly started server runs interpreted code for its first seconds: without this, whichever scenario
     * comes first (the no-op) would be measured on a cold JIT. Reads and a repeatable write, not recorded.
     */
    private void warmUp() throws InterruptedException {
        List<IntFunction<Call>> calls = List.of(
                c -> call(owner(c), "DescribeRegions", "{}"),
                c -> call(owner(c), "DescribeImages", "{\"Limit\":20}"),
                c -> call(recipient(c), "DescribeImages", sharedToMe()),
                c -> call(owner(c), "DescribeImageSharePermission", "{\"ImageId\":\"" + fixture(c, "ShareListImage") + "\"}"),
                c -> modify(c, "{\"ImageId\":\"%s\",\"ImageDescription\":\"warm\"}"));
        for (IntFunction<Call> call : calls) {
            load.run("warm-up", CLIENTS, 0, 3, call);
        }
    }

    private void glanceEquivalents() throws Exception {
        // every call a new share: the 50 listed images with 40 accounts that have none of them
        measureSequence("ModifyImageSharePermission SHARE ~ add member", false, c -> numbered(
                DataGenerator.LISTED * 40, i -> share(c, clients.get(c).get("ListedImages").get(i / 40).asText(),
                        DataGenerator.accountId(DataGenerator.FIRST_POPULATION_ACCOUNT + i % 40), "SHARE")));
        measure("DescribeImages as recipient ~ list as member", c -> call(recipient(c), "DescribeImages", sharedToMe()));
        measureSequence("DeleteImages ~ delete", false, c -> deletes(c, 1));
        // last: the import jobs it starts keep the server busy after it
        List<Account> importers = support.accounts("bench-import-" + System.nanoTime(), CLIENTS);
        // bench/run allows the node to import from this port only (an allow-list entry names one port)
        try (FileServer files = new FileServer(Integer.getInteger("bench.filesPort", 0))) {
            String url = files.put("bench.raw", new byte[4096]);
            measureSequence("ImportImage ~ create", false, c -> numbered(4000, i -> new Call(
                    importers.get(c).secretId(), importers.get(c).secretKey(), "ImportImage", region,
                    json(Map.of("Architecture", "x86_64", "OsType", "CentOS", "OsVersion", "7", "ImageUrl", url,
                            "ImageName", "import-" + i)))));
        }
    }

    private void measure(String name, IntFunction<Call> call) throws InterruptedException {
        if (selected(name)) {
            results.add(print(load.run(name, CLIENTS, 2, seconds, call)));
        }
    }

    private void measureSequence(String name, boolean cycle, IntFunction<List<Call>> calls) throws InterruptedException {
        if (selected(name)) {
            results.add(print(load.run(name, CLIENTS, 1, seconds, calls, cycle)));
        }
    }

    /** Env BENCH_ONLY (a substring of scenario names) runs just those, e.g. to profile one. */
    private static boolean selected(String name) {
        String only = System.getenv("BENCH_ONLY");
        return only == null || only.isEmpty() || name.contains(only);
    }

    private static Result print(Result r) {
        System.err.println(r.row());
        return r;
    }

    /** Half {@code half} (0 or 1) of the client's delete pool, so that suite "all" can delete twice. */
    private List<Call> deletes(int c, int half) {
        JsonNode pool = clients.get(c).get("DeletableImages");
        List<Call> calls = new ArrayList<>();
        for (int i = half * pool.size() / 2; i < (half + 1) * pool.size() / 2; i++) {
            calls.add(call(account(clients.get(c).get("Deleter")), "DeleteImages", "{\"ImageIds\":[\"" + pool.get(i).asText() + "\"]}"));
        }
        return calls;
    }

    private static List<Call> numbered(int n, Function<Integer, Call> call) {
        List<Call> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            calls.add(call.apply(i));
        }
        return calls;
    }

    private static String sharedToMe() {
        return "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"SHARED_IMAGE\"]}],\"Limit\":100}";
    }

    private Call share(int c, String imageId, String accountId, String permission) {
        return call(owner(c), "ModifyImageSharePermission", "{\"ImageId\":\"" + imageId + "\",\"AccountIds\":[\""
                + accountId + "\"],\"Permission\":\"" + permission + "\"}");
    }

    private Call modify(int c, String template) {
        return call(owner(c), "ModifyImageAttribute", String.format(template, fixture(c, "ModifyImage")));
    }

    private Call call(Account account, String action, String body) {
        return new Call(account.secretId(), account.secretKey(), action, region, body);
    }

    private String fixture(int c, String name) {
        return clients.get(c).get(name).asText();
    }

    private Account owner(int c) {
        return account(clients.get(c).get("Owner"));
    }

    private Account recipient(int c) {
        return account(clients.get(c).get("Recipient"));
    }

    private static Account account(JsonNode n) {
        return new Account(n.get("AccountId").asText(), n.get("SecretId").asText(), n.get("SecretKey").asText());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
