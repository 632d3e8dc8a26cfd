package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.client.SignedClient;
import io.imagehub.domain.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Something to look at on a fresh node: accounts alice and bob, a small real disk imported as alice's custom image,
 * shared with bob and copied to a second region. It is a client of the API like any other: accounts through the
 * admin surface, everything else as alice through signed calls. It is idempotent: what exists (found by name, the
 * accounts' keys kept in {@code demo.json} in the data dir) is reused, only what is missing is made; and it refuses a
 * database that holds other accounts unless forced.
 */
final class Demo {
    static final String IMAGE_NAME = "imagehub-demo";
    static final String STATE_FILE = "demo.json";
    private static final List<String> MEMBERS = List.of("alice", "bob");
    private static final int DISK_BYTES = 4 << 20;
    private static final Duration JOB_WAIT = Duration.ofMinutes(2);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Member(String name, String accountId, String secretId, String secretKey) {
    }

    /** What the demo set up, and which of it this run made (empty: everything was there already). */
    record Outcome(Member alice, Member bob, String region, String imageId, String copyRegion, String copyId,
                   List<String> made) {
    }

    /** The database holds accounts that are not the demo's, and the demo was not forced. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final String endpoint;
    private final AdminClient admin;
    private final Path stateFile;
    private final boolean force;
    private final List<String> made = new ArrayList<>();

    Demo(String endpoint, AdminClient admin, Path dataDir, boolean force) {
        this.endpoint = endpoint;
        this.admin = admin;
        this.stateFile = dataDir.resolve(STATE_FILE);
        this.force = force;
    }

    Outcome run() throws IOException, InterruptedException, Refused {
        Map<String, Member> members = accounts();
        Member alice = members.get("alice");
        SignedClient asAlice = new SignedClient(SignedClient.endpoint(endpoint), alice.secretId(), alice.secretKey(), null,
                CALL_TIMEOUT);
        JsonNode regions = call(asAlice, "DescribeRegions", "ap-guangzhou", Map.of()).path("RegionSet");
        if (regions.size() < 2) {
            throw new IOException("the demo copies an image between two regions; this node offers " + regions.size());
        }
        String region = regions.get(0).path("Region").asText();
        String copyRegion = regions.get(1).path("Region").asText();
        String imageId = image(asAlice, region);
        share(asAlice, region, imageId, members.get("bob"));
        String copyId = copy(asAlice, region, imageId, copyRegion);
        return new Outcome(alice, members.get("bob"), region, imageId, copyRegion, copyId, List.copyOf(made));
    }

    /** alice and bob: the ones demo.json names if they still exist, otherwise new ones (and demo.json rewritten). */
    private Map<String, Member> accounts() throws IOException, InterruptedException, Refused {
        Map<String, Member> known = readState();
        Map<String, String> nameById = new LinkedHashMap<>();
        for (JsonNode account : JSON.readTree(admin.get("/admin/accounts"))) {
            nameById.put(account.path("AccountId").asText(), account.path("Name").asText());
        }
        List<String> others = nameById.entrySet().stream()
                .filter(a -> known.values().stream().noneMatch(m -> m.accountId().equals(a.getKey())))
                .map(Map.Entry::getValue).toList();
        if (!others.isEmpty() && !force) {
            throw new Refused("this database holds " + others.size() + " account(s) that are not the demo's ("
                    + String.join(", ", others.subList(0, Math.min(3, others.size())))
                    + (others.size() > 3 ? ", ..." : "") + "): the demo sets itself up only on an empty one; "
                    + "pass --force to add alice and bob anyway");
        }
        Map<String, Member> members = new LinkedHashMap<>();
        for (String name : MEMBERS) {
            Member member = known.get(name);
            if (member == null || !nameById.containsKey(member.accountId())) {
                if (nameById.containsValue(name)) {
                    throw new Refused("an account named " + name + " exists but is not the demo's (its keys are not in "
                            + stateFile + ")");
                }
                JsonNode created = JSON.readTree(admin.post("/admin/accounts",
                        JSON.writeValueAsString(Map.of("Name", name, "Count", 1)))).get(0);
                member = new Member(name, created.path("AccountId").asText(), created.path("SecretId").asText(),
                        created.path("SecretKey").asText());
                made.add("account " + name);
            }
            members.put(name, member);
        }
        if (!members.equals(known)) {
            writeState(members);
        }
        return members;
    }

    /** alice's image of the demo's name in {@code region}; imported if she has none that is usable. */
    private String image(SignedClient asAlice, String region) throws IOException, InterruptedException {
        JsonNode existing = ownImageNamed(asAlice, region);
        if (existing != null && existing.path("ImageState").asText().equals("NORMAL")) {
            return existing.path("ImageId").asText();
        }
        if (existing != null) { // an upload an earlier run did not finish: start over
            call(asAlice, "DeleteImages", region, Map.of("ImageIds", List.of(existing.path("ImageId").asText())));
        }
        byte[] disk = disk();
        Map<String, Object> request = new LinkedHashMap<>(Map.of(
                "ImageName", IMAGE_NAME,
                "ImageDescription", "A small raw disk the demo imported (bin/imagehub demo)",
                "OsType", "Other Linux", "OsVersion", "8", "Architecture", "x86_64"));
        request.put("ImagehubUploadSizeBytes", disk.length);
        JsonNode opened = call(asAlice, "ImportImage", region, request);
        String imageId = opened.path("ImageId").asText();
        asAlice.upload(opened.path("ImagehubUploadUrl").asText(), disk);
        made.add("image " + IMAGE_NAME);
        awaitNormal(asAlice, region, "the import");
        return imageId;
    }

    private void share(SignedClient asAlice, String region, String imageId, Member bob) {
        JsonNode shares = call(asAlice, "DescribeImageSharePermission", region, Map.of("ImageId", imageId))
                .path("SharePermissionSet");
        for (JsonNode share : shares) {
            if (share.path("AccountId").asText().equals(bob.accountId())) {
                return;
            }
        }
        call(asAlice, "ModifyImageSharePermission", region, Map.of("ImageId", imageId,
                "AccountIds", List.of(bob.accountId()), "Permission", "SHARE"));
        made.add("share with bob");
    }

    /** alice's copy in {@code copyRegion}, made with SyncImages if missing, once it is NORMAL. */
    private String copy(SignedClient asAlice, String region, String imageId, String copyRegion)
            throws IOException, InterruptedException {
        JsonNode copy = ownImageNamed(asAlice, copyRegion);
        if (copy == null) {
            call(asAlice, "SyncImages", region, Map.of("ImageIds", List.of(imageId), "DestinationRegions", List.of(copyRegion)));
            made.add("copy in " + copyRegion);
        }
        return awaitNormal(asAlice, copyRegion, "the copy to " + copyRegion);
    }

    /** The id of alice's demo image in {@code region} once it is NORMAL (imports and copies are durable jobs). */
    private static String awaitNormal(SignedClient asAlice, String region, String what) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(JOB_WAIT);
        while (true) {
            JsonNode image = ownImageNamed(asAlice, region);
            String state = image == null ? "missing" : image.path("ImageState").asText();
            if (state.equals("NORMAL")) {
                return image.path("ImageId").asText();
            }
            if (!List.of("IMPORTING", "SYNCING", "CREATING").contains(state) || Instant.now().isAfter(deadline)) {
                throw new IOException(what + " is " + state);
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode ownImageNamed(SignedClient api, String region) {
        JsonNode images = call(api, "DescribeImages", region, Map.of("Filters", List.of(
                Map.of("Name", "image-name", "Values", List.of(IMAGE_NAME)),
                Map.of("Name", "image-type", "Values", List.of("PRIVATE_IMAGE"))))).path("ImageSet");
        return images.isEmpty() ? null : images.get(0);
    }

    /** One signed call with a request given as a map (the demo's requests are small literals). */
    private static JsonNode call(SignedClient client, String action, String region, Object request) {
        return client.call(action, region, JSON.valueToTree(request));
    }

    /** A real if tiny raw disk: an MBR partition table with one Linux partition, filled with deterministic bytes. */
    static byte[] disk() {
        byte[] disk = new byte[DISK_BYTES];
        new Random(17).nextBytes(disk);
        java.util.Arrays.fill(disk, 0, 512, (byte) 0);
        int firstSector = 2048;
        int sectors = DISK_BYTES / 512 - firstSector;
        int entry = 446;
        disk[entry + 4] = (byte) 0x83; // Linux
        putLittleEndian(disk, entry + 8, firstSector);
        putLittleEndian(disk, entry + 12, sectors);
        disk[510] = 0x55; // boot signature
        disk[511] = (byte) 0xAA;
        return disk;
    }

    private static void putLittleEndian(byte[] bytes, int at, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private Map<String, Member> readState() throws IOException {
        Map<String, Member> members = new LinkedHashMap<>();
        if (Files.exists(stateFile)) {
            JsonNode state = JSON.readTree(stateFile.toFile());
            for (String name : MEMBERS) {
                JsonNode m = state.path(name);
                if (m.has("AccountId")) {
                    members.put(name, new Member(name, m.path("AccountId").asText(), m.path("SecretId").asText(),
                            m.path("SecretKey").asText()));
                }
            }
        }
        return members;
    }

    /** The keys, readable by the owner only: written to a temporary file first, so a crash leaves the old one. */
    private void writeState(Map<String, Member> members) throws IOException {
        ObjectNode state = JSON.createObjectNode();
        members.values().forEach(m -> state.putObject(m.name()).put("AccountId", m.accountId())
                .put("SecretId", m.secretId()).put("SecretKey", m.secretKey()));
        Path temporary = stateFile.resolveSibling(STATE_FILE + ".tmp");
        Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        SecretCipher.restrictToOwner(temporary);
        Files.move(temporary, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs the demo against the node at {@code endpoint} and prints its report; 1 if it refused or failed. */
    static int runAndReport(String endpoint, AdminClient admin, Path dataDir, boolean force)
            throws InterruptedException {
        try {
            report(new Demo(endpoint, admin, dataDir, force).run(), endpoint, dataDir).forEach(System.out::println);
            System.out.flush();
            return 0;
        } catch (SignedClient.ApiError e) {
            System.err.println("imagehub demo: [" + e.code() + "] " + e.getMessage());
            return 1;
        } catch (Refused | IOException | SignedClient.TransportError e) {
            System.err.println("imagehub demo: " + e.getMessage());
            return 1;
        }
    }

    /** What to print: the accounts' keys, where to look, and how. */
    static List<String> report(Outcome o, String endpoint, Path dataDir) {
        List<String> lines = new ArrayList<>();
        lines.add("imagehub demo: alice's image " + IMAGE_NAME + " (" + o.imageId() + " in " + o.region()
                + ") is shared with bob and copied to " + o.copyRegion() + " (" + o.copyId() + ")");
        lines.add(o.made().isEmpty() ? "  made nothing new: everything was there already"
                : "  made: " + String.join(", ", o.made()));
        for (Member m : List.of(o.alice(), o.bob())) {
            lines.add(String.format("  %-5s  AccountId %s  SecretId %s  SecretKey %s", m.name(), m.accountId(),
                    m.secretId(), m.secretKey()));
        }
        lines.add("Sign in to the console as bob (his SecretId and SecretKey above) and see the image shared with him:");
        lines.add("  " + endpoint + "/console");
        lines.add("The keys are kept in " + dataDir.toAbsolutePath().resolve(STATE_FILE) + " (owner-only); the demo reuses them.");
        return lines;
    }
}
