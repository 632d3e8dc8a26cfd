package io.imagehub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.bench.LoadGenerator.Result;
import io.imagehub.it.FileServer;
import io.imagehub.it.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * RunInstances and CreateImage latency from a 1 GiB image. Neither copies image bytes (an instance disk is the
 * image's chunk manifest; a captured image reuses the instance's), so both should cost about as much as any small
 * write request, independent of the image size. Measured in the same run: DescribeRegions, which does no domain or
 * database work (the bare stack), and ModifyImageAttribute (a small audited write). Calls are sequential (one
 * client) and each is timed.
 * Usage: InstancesBench HOST PORT ADMIN_TOKEN [ROUNDS] (see bench/instances.sh).
 */
public final class InstancesBench {
    private static final String REGION = "ap-guangzhou";
    private static final String ZONE = "ap-guangzhou-3";
    private static final int WARMUP = 5;
    private static final int IMAGE_BYTES = 1 << 30;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        BenchSupport support = new BenchSupport(host + ":" + port, args[2]);
        Account owner = support.accounts("bench-instances-" + System.nanoTime(), 1).get(0);
        RawClient client = support.client(owner);

        String imageId;
        String digest;
        try (FileServer files = new FileServer()) {
            byte[] disk = new byte[IMAGE_BYTES];
            new Random(1).nextBytes(disk);
            long start = System.nanoTime();
            imageId = ok(client.call("ImportImage", REGION, "{\"Architecture\":\"x86_64\",\"OsType\":\"CentOS\","
                    + "\"OsVersion\":\"7\",\"ImageName\":\"one-gib\",\"ImageUrl\":\"" + files.put("one-gib.raw", disk)
                    + "\"}")).get("ImageId").asText();
            digest = awaitImage(client, imageId).get("ImagehubSha256").asText();
            System.out.printf("imported a 1 GiB image in %.1f s (%s)%n", (System.nanoTime() - start) / 1e9, digest);
        }

        List<Result> results = new ArrayList<>();
        results.add(time("DescribeRegions (stack no-op)", rounds * 5, i -> client.call("DescribeRegions", REGION, "{}")));
        String image = imageId;
        results.add(time("ModifyImageAttribute (small-write reference)", rounds, i -> ok(client.call(
                "ModifyImageAttribute", REGION, "{\"ImageId\":\"" + image + "\",\"ImageDescription\":\"d" + i + "\"}"))));
        List<String> instances = new ArrayList<>();
        String run = "{\"Placement\":{\"Zone\":\"" + ZONE + "\"},\"ImageId\":\"" + imageId + "\"}";
        results.add(time("RunInstances from a 1 GiB image", rounds, i -> {
            JsonNode r = ok(client.call("RunInstances", REGION, run));
            instances.add(r.get("InstanceIdSet").get(0).asText());
            return r;
        }));
        for (String id : instances) {
            while (!client.call("DescribeInstances", REGION, "{\"InstanceIds\":[\"" + id + "\"]}")
                    .at("/InstanceSet/0/InstanceState").asText().equals("RUNNING")) {
                Thread.sleep(20);
            }
        }
        List<String> images = new ArrayList<>();
        results.add(time("CreateImage of a 1 GiB disk", rounds, i -> {
            JsonNode r = ok(client.call("CreateImage", REGION, "{\"InstanceId\":\"" + instances.get(i)
                    + "\",\"ImageName\":\"capture-" + i + "\"}"));
            images.add(r.get("ImageId").asText());
            return r;
        }));
        for (String id : images) {
            if (!awaitImage(client, id).get("ImagehubSha256").asText().equals(digest)) {
                throw new IllegalStateException(id + " does not carry the source image's digest");
            }
        }
        System.out.println("every captured image is NORMAL with the source digest " + digest);
        BenchSupport.report("Instances from a 1 GiB image", results);
    }

    private static Result time(String name, int rounds, IntFunction<JsonNode> call) {
        return BenchSupport.timeSequential(name, WARMUP, rounds, call);
    }

    private static JsonNode ok(JsonNode response) {
        if (response.has("Error")) {
            throw new IllegalStateException("refused: " + response);
        }
        return response;
    }

    private static JsonNode awaitImage(RawClient client, String imageId) throws InterruptedException {
        while (true) {
            JsonNode image = client.call("DescribeImages", REGION, "{\"ImageIds\":[\"" + imageId + "\"]}").at("/ImageSet/0");
            String state = image.path("ImageState").asText();
            if (state.equals("NORMAL")) {
                return image;
            }
            if (!state.equals("IMPORTING") && !state.equals("CREATING")) {
                throw new IllegalStateException(imageId + " ended " + state);
            }
            Thread.sleep(50);
        }
    }
}
