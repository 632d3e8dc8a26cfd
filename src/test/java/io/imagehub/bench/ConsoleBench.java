package io.imagehub.bench;

import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.bench.LoadGenerator.Result;
import io.imagehub.it.FileServer;
import io.imagehub.it.RawClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Web console pages for an account holding 500 custom images (the default quota), next to the API's own
 * DescribeImages page of the same images measured in the same run. One client, sequential, each request timed on
 * loopback (so a figure is the server's time plus one loopback round trip). The Custom images page is the heaviest:
 * one DescribeImages plus one DescribeImageSharePermission per row (20), DescribeRegions and DescribeImportImageOs,
 * all signed and verified in-process.
 * Usage: ConsoleBench HOST PORT ADMIN_TOKEN [ROUNDS] (see bench/console.sh).
 */
public final class ConsoleBench {
    private static final String REGION = "ap-guangzhou";
    private static final int IMAGES = 500;
    private static final int WARMUP = 20;

    public static void main(String[] args) throws Exception {
        String endpoint = args[0] + ":" + args[1];
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        BenchSupport support = new BenchSupport(endpoint, args[2]);
        List<Account> accounts = support.accounts("bench-console-" + System.nanoTime(), 2);
        Account owner = accounts.get(0);
        RawClient client = support.client(owner);
        List<String> images;
        try (FileServer files = new FileServer()) {
            long start = System.nanoTime();
            images = support.seedImages(owner, REGION, IMAGES, files);
            System.out.printf("seeded %d images in %.1f s%n", IMAGES, (System.nanoTime() - start) / 1e9);
        }
        for (String id : images.subList(0, 5)) { // a few rows of the first page are shared
            client.call("ModifyImageSharePermission", REGION, "{\"ImageId\":\"" + id + "\",\"AccountIds\":[\""
                    + accounts.get(1).accountId() + "\"],\"Permission\":\"SHARE\"}");
        }

        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = signIn(http, endpoint, owner);
        String describe = "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"PRIVATE_IMAGE\"]}],\"Limit\":20}";
        List<Result> results = new ArrayList<>();
        results.add(BenchSupport.timeSequential("API DescribeImages (20 of 500, same account)", WARMUP, rounds,
                i -> ok(client.call("DescribeImages", REGION, describe))));
        results.add(page(http, endpoint, cookie, "console Custom images, page 1 of 25", "/console/images?tab=custom",
                rounds));
        results.add(page(http, endpoint, cookie, "console Custom images, page 25 of 25",
                "/console/images?tab=custom&page=25", rounds));
        results.add(page(http, endpoint, cookie, "console live table poll (htmx)", "/console/images/table?tab=custom",
                rounds));
        results.add(page(http, endpoint, cookie, "console Custom images, state filter (scans 500)",
                "/console/images?tab=custom&state=NORMAL", rounds));
        results.add(page(http, endpoint, cookie, "console an image's page (shares, audit)",
                "/console/images/" + images.get(0), rounds));
        results.add(page(http, endpoint, cookie, "console Account page", "/console/account", rounds));
        BenchSupport.report("Console pages, 500 images", results);
    }

    private static String signIn(HttpClient http, String endpoint, Account account) throws Exception {
        String form = "secretId=" + encode(account.secretId()) + "&secretKey=" + encode(account.secretKey())
                + "&language=en-US";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint
                        + "/console/signin")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = response.headers().firstValue("Set-Cookie")
                .orElseThrow(() -> new IllegalStateException("sign-in failed: " + response.body()));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Result page(HttpClient http, String endpoint, String cookie, String name, String path, int rounds) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                .header("Cookie", cookie).GET().build();
        return BenchSupport.timeSequential(name, WARMUP, rounds, i -> {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                if (response.statusCode() != 200 || !(body.contains("<main") || body.contains("id=\"image-table\""))) {
                    throw new IllegalStateException(path + " answered " + response.statusCode() + " without its page");
                }
                return response;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Object ok(com.fasterxml.jackson.databind.JsonNode response) {
        if (response.has("Error")) {
            throw new IllegalStateException("refused: " + response);
        }
        return response;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
