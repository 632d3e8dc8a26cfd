package io.imagehub.bench;

import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.bench.LoadGenerator.Call;
import io.imagehub.bench.LoadGenerator.Result;
import io.imagehub.it.FileServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's first figures: DescribeImages as an owner next to DescribeRegions, which does no domain or database
 * work and so measures the stack itself (HTTP, TC3 signature check, dispatch, JSON) in the same run.
 * Usage: ApiBench HOST PORT ADMIN_TOKEN [SECONDS] (see bench/run).
 */
public final class ApiBench {
    private static final String REGION = "ap-guangzhou";

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        BenchSupport support = new BenchSupport(host + ":" + port, args[2]);
        Account owner = support.accounts("bench-owner-" + System.nanoTime(), 1).get(0);
        try (FileServer files = new FileServer()) {
            support.seedImages(owner, REGION, 100, files);
        }
        LoadGenerator load = new LoadGenerator(host, port);
        Call noop = new Call(owner.secretId(), owner.secretKey(), "DescribeRegions", REGION, "{}");
        Call list = new Call(owner.secretId(), owner.secretKey(), "DescribeImages", REGION, "{\"Limit\":20}");
        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 16}) {
            results.add(load.run("DescribeRegions (stack no-op)", clients, 2, seconds, c -> noop));
            results.add(load.run("DescribeImages as owner (100 images, Limit 20)", clients, 2, seconds, c -> list));
        }
        BenchSupport.report("API baseline", results);
    }
}
