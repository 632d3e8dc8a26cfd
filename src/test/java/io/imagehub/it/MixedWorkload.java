package io.imagehub.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients, each with an account of its own, calling through one {@link Api} at once: imports (waited for),
 * listings, shares with the other clients' accounts and their cancellation, SyncImages to a same-store and to a
 * far region (waited for), deletions (some refused because the image is shared). Every change is recorded by names,
 * not ids, so that {@link #replay} can run the same changes serially on another node and the two outcomes can be
 * compared with {@link NormalState}. Clients touch only their own images, so their changes commute and replaying
 * them client by client is a valid serial order. A call that was lost (it broke off after it was sent) has an
 * unknown outcome: the client records it and never touches that image again, and {@link #settleLost} later reads
 * from the database whether it took effect.
 */
final class MixedWorkload {
    static final String GZ = "ap-guangzhou";
    static final List<String> SYNC_REGIONS = List.of("ap-beijing", Cluster.FAR_REGION);
    static final String LOST = "LOST";
    static final String NOT_APPLIED = "NOT_APPLIED";
    private static final Set<String> EXPECTED_REFUSALS = Set.of("InvalidImageId.InShared");
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(90);

    /** Where calls go: the cluster's balancer, or one node. */
    interface Api {
        LoadBalancer.Reply call(TestServer.Account account, String action, String region, String body);
    }

    /**
     * One change a client asked for, by names: {@code image} is the client's image name; {@code argument} the import
     * URL, the recipient client's index or the destination region; {@code outcome} Success, an error code, or LOST.
     */
    record Change(int client, int seq, String action, String image, String argument, String outcome) {
        Change withOutcome(String newOutcome) {
            return new Change(client, seq, action, image, argument, newOutcome);
        }
    }

    private final Api api;
    private final List<TestServer.Account> accounts;
    private final List<String> imageUrls;
    /** Image id -> owner|region|name, for every image this run made: how ids are normalised. */
    final Map<String, String> imageKeys = new ConcurrentHashMap<>();
    final List<Change> changes = new CopyOnWriteArrayList<>();
    /** Calls answered with something unexpected, or not answered by a node that is alive: each one a failure. */
    final List<String> errors = new CopyOnWriteArrayList<>();
    /** Calls that broke off after they were sent: server -> what. */
    final List<LoadBalancer.Reply> lost = new CopyOnWriteArrayList<>();
    final AtomicLong calls = new AtomicLong();
    private volatile boolean stopping;

    private final int changesPerClient;
    private final Duration pause;

    /**
     * {@code changesPerClient}: after that many changes a client only lists (so that a replay's cost stays bounded);
     * {@code pause}: how long a client waits after each change (spreads the changes over a test's events).
     */
    MixedWorkload(Api api, List<TestServer.Account> accounts, List<String> imageUrls, int changesPerClient,
                  Duration pause) {
        this.api = api;
        this.accounts = accounts;
        this.imageUrls = imageUrls;
        this.changesPerClient = changesPerClient;
        this.pause = pause;
    }

    static String key(String ownerName, String region, String name) {
        return ownerName + "|" + region + "|" + name;
    }

    /** Runs every client on a thread of its own until {@link #stop}; returns the threads. */
    List<Thread> start(long seed) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            Client client = new Client(i, new Random(seed + i));
            threads.add(Thread.ofVirtual().name("workload-" + i).start(client::run));
        }
        return threads;
    }

    void stop(List<Thread> threads) throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(SETTLE_WAIT);
        }
    }

    /** Applies {@code recorded} (another run's changes, outcomes settled) serially; returns the outcomes seen here. */
    List<Change> replay(List<Change> recorded) {
        Map<Integer, Client> clients = new HashMap<>();
        List<Change> seen = new ArrayList<>();
        for (Change change : recorded) {
            if (change.outcome().equals(NOT_APPLIED)) {
                continue;
            }
            Client client = clients.computeIfAbsent(change.client(), i -> new Client(i, new Random(0)));
            seen.add(change.withOutcome(client.apply(change)));
        }
        return seen;
    }

    private final class Client {
        final int index;
        final Random random;
        final TestServer.Account account;
        /** Image name -> id of this client's NORMAL images in GZ. */
        final Map<String, String> images = new HashMap<>();
        final Map<String, Set<Integer>> shares = new HashMap<>();
        final Set<String> synced = new HashSet<>();
        int seq;

        Client(int index, Random random) {
            this.index = index;
            this.random = random;
            this.account = accounts.get(index);
        }

        String name() {
            return "w-" + (index + 1);
        }

        void run() {
            try {
                while (!stopping) {
                    step();
                }
            } catch (RuntimeException e) {
                errors.add("client " + index + " stopped: " + e);
            }
        }

        void step() {
            if (seq >= changesPerClient) {
                describe();
                sleep(Duration.ofMillis(50));
                return;
            }
            int op = random.nextInt(100);
            List<String> names = new ArrayList<>(images.keySet());
            names.sort(null);
            if (op < 25 || names.isEmpty() && op < 60) {
                describe();
                return;
            }
            if (op < 45 || names.isEmpty()) {
                String url = imageUrls.get(random.nextInt(imageUrls.size()));
                record(new Change(index, seq++, "ImportImage", "img-" + seq, url, null));
                return;
            }
            String image = names.get(random.nextInt(names.size()));
            Set<Integer> holders = shares.computeIfAbsent(image, n -> new HashSet<>());
            if (op < 65) {
                int recipient = random.nextInt(accounts.size());
                if (recipient != index && !holders.contains(recipient)) {
                    record(new Change(index, seq++, "ShareImage", image, Integer.toString(recipient), null));
                }
            } else if (op < 78) {
                if (!holders.isEmpty()) {
                    int recipient = holders.stream().sorted().toList().get(random.nextInt(holders.size()));
                    record(new Change(index, seq++, "CancelImageShare", image, Integer.toString(recipient), null));
                }
            } else if (op < 90) {
                String region = SYNC_REGIONS.get(random.nextInt(SYNC_REGIONS.size()));
                if (!synced.contains(image + "|" + region)) {
                    record(new Change(index, seq++, "SyncImages", image, region, null));
                }
            } else {
                record(new Change(index, seq++, "DeleteImages", image, "", null));
            }
        }

        void describe() {
            LoadBalancer.Reply reply = call("DescribeImages", GZ, "{\"Limit\":20}");
            if (reply != null && !reply.succeeded()) {
                errors.add("DescribeImages: " + reply.outcome());
            }
        }

        void record(Change change) {
            String outcome = apply(change);
            sleep(pause);
            changes.add(change.withOutcome(outcome));
            if (!outcome.equals("Success") && !outcome.equals(LOST) && !EXPECTED_REFUSALS.contains(outcome)) {
                errors.add(change + " answered " + outcome);
            }
        }

        /** Makes the change; waits for an import or a copy to settle; returns the outcome. */
        String apply(Change c) {
            String id = images.get(c.image());
            switch (c.action()) {
                case "ImportImage" -> {
                    LoadBalancer.Reply reply = call("ImportImage", GZ, "{\"ImageName\":\"" + c.image()
                            + "\",\"ImageUrl\":\"" + c.argument() + "\",\"OsType\":\"CentOS\",\"OsVersion\":\"7\","
                            + "\"Architecture\":\"x86_64\"}");
                    if (reply == null) {
                        return LOST;
                    }
                    if (reply.succeeded()) {
                        String imageId = reply.response().get("ImageId").asText();
                        imageKeys.put(imageId, key(name(), GZ, c.image()));
                        awaitSettled(GZ, imageId);
                        images.put(c.image(), imageId);
                    }
                    return reply.outcome();
                }
                case "ShareImage", "CancelImageShare" -> {
                    int recipient = Integer.parseInt(c.argument());
                    boolean share = c.action().equals("ShareImage");
                    LoadBalancer.Reply reply = call("ModifyImageSharePermission", GZ, "{\"ImageId\":\"" + id
                            + "\",\"AccountIds\":[\"" + accounts.get(recipient).accountId() + "\"],\"Permission\":\""
                            + (share ? "SHARE" : "CANCEL") + "\"}");
                    if (reply == null) {
                        images.remove(c.image()); // its state is unknown now: leave it alone
                        return LOST;
                    }
                    if (reply.succeeded()) {
                        Set<Integer> holders = shares.computeIfAbsent(c.image(), n -> new HashSet<>());
                        if (share) {
                            holders.add(recipient);
                        } else {
                            holders.remove(recipient);
                        }
                    }
                    return reply.outcome();
                }
                case "SyncImages" -> {
                    LoadBalancer.Reply reply = call("SyncImages", GZ, "{\"ImageIds\":[\"" + id
                            + "\"],\"DestinationRegions\":[\"" + c.argument() + "\"],\"ImageSetRequired\":true}");
                    if (reply == null) {
                        images.remove(c.image());
                        return LOST;
                    }
                    if (reply.succeeded()) {
                        String copyId = reply.response().at("/ImageSet/0/ImageId").asText();
                        imageKeys.put(copyId, key(name(), c.argument(), c.image()));
                        awaitSettled(c.argument(), copyId);
                        synced.add(c.image() + "|" + c.argument());
                    }
                    return reply.outcome();
                }
                case "DeleteImages" -> {
                    LoadBalancer.Reply reply = call("DeleteImages", GZ, "{\"ImageIds\":[\"" + id + "\"]}");
                    if (reply == null || reply.succeeded()) {
                        images.remove(c.image());
                    }
                    return reply == null ? LOST : reply.outcome();
                }
                default -> throw new IllegalArgumentException(c.action());
            }
        }

        /** Polls the image until it leaves IMPORTING/SYNCING; a listing lost on a dying node is asked again. */
        void awaitSettled(String region, String imageId) {
            Instant deadline = Instant.now().plus(SETTLE_WAIT);
            while (Instant.now().isBefore(deadline)) {
                LoadBalancer.Reply reply = call("DescribeImages", region, "{\"ImageIds\":[\"" + imageId + "\"]}");
                if (reply != null) {
                    String state = reply.response().at("/ImageSet/0/ImageState").asText();
                    if (state.equals("NORMAL")) {
                        return;
                    }
                    if (!state.equals("IMPORTING") && !state.equals("SYNCING")) {
                        errors.add(imageId + " in " + region + " ended " + state + ": " + reply.response());
                        return;
                    }
                }
                sleep(Duration.ofMillis(20));
            }
            errors.add(imageId + " in " + region + " did not settle within " + SETTLE_WAIT);
        }

        /** The reply, or null if the call was lost; a reply that is no envelope at all is an error. */
        LoadBalancer.Reply call(String action, String region, String body) {
            calls.incrementAndGet();
            LoadBalancer.Reply reply = api.call(account, action, region, body);
            if (reply.lost()) {
                lost.add(reply);
                return null;
            }
            if (reply.response() == null) {
                errors.add(action + " on " + reply.server() + ": " + reply.failure());
                return null;
            }
            return reply;
        }
    }

    /**
     * Decides the outcome of every lost change from what the cluster stored: a lost import took effect if its image
     * exists; a lost change of an image (the client's last on that image) took effect if the owner's last audited
     * change of the image is that change. Lost changes that did not take effect become NOT_APPLIED.
     */
    List<Change> settleLost(NormalState.Reader cluster) {
        List<Change> settled = new ArrayList<>();
        for (Change c : changes) {
            if (!c.outcome().equals(LOST)) {
                settled.add(c);
                continue;
            }
            TestServer.Account owner = accounts.get(c.client());
            String ownerName = "w-" + (c.client() + 1);
            if (c.action().equals("ImportImage")) {
                String id = cluster.imageId(owner.accountId(), GZ, c.image());
                if (id != null) {
                    imageKeys.put(id, key(ownerName, GZ, c.image()));
                }
                settled.add(c.withOutcome(id != null ? "Success" : NOT_APPLIED));
                continue;
            }
            String imageId = imageKeys.entrySet().stream()
                    .filter(e -> e.getValue().equals(key(ownerName, GZ, c.image()))).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
            NormalState.AuditRow last = cluster.lastChangeOf(imageId, owner.accountId());
            String action = c.action();
            if (action.equals("SyncImages")) {
                // an image is copied to a region at most once: the copy exists iff this call made it (the owner's
                // last audited change may be an earlier copy to the other region)
                String copy = cluster.imageId(owner.accountId(), c.argument(), c.image());
                if (copy != null) {
                    imageKeys.put(copy, key(ownerName, c.argument(), c.image()));
                }
                settled.add(c.withOutcome(copy != null ? "Success" : NOT_APPLIED));
                continue;
            }
            boolean sharing = action.equals("ShareImage") || action.equals("CancelImageShare");
            boolean applied = last != null && last.action().equals(action) && (!sharing
                    || last.accounts().equals(accounts.get(Integer.parseInt(c.argument())).accountId()));
            settled.add(c.withOutcome(applied ? last.outcome() : NOT_APPLIED));
        }
        settled.sort(java.util.Comparator.comparingInt(Change::client).thenComparingInt(Change::seq));
        return settled;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
