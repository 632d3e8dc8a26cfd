package io.imagehub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.config.RegionConfig;
import io.imagehub.app.Imagehub;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.Ids;
import io.imagehub.domain.Lineage;
import io.imagehub.domain.SecretCipher;
import io.imagehub.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Fills a data dir's database with a large, realistic population straight through JDBC batches (not the API), so
 * that the benchmarks can run at scale: {@code images} images spread over {@code accounts} accounts and the
 * configured regions, and {@code shares} shares between them. The schema is migrated by {@link Database} and every
 * SecretKey is encrypted with the data dir's master key ({@link SecretCipher}), so the server started on the same
 * data dir authenticates the generated accounts.
 *
 * <p>On top of that population it writes the benchmark's own fixtures (bench accounts, their images and shares) and
 * describes them, credentials included, in {@code <data-dir>/bench-fixtures.json} for {@link ApiBench}.
 *
 * <p>Usage: DataGenerator DATA_DIR IMAGES ACCOUNTS SHARES [JDBC_URL [USER]] (see bench/generate).
 */
public final class DataGenerator {
    /** Load-generator clients the fixtures are made for: each client acts as its own owner and recipient. */
    static final int CLIENTS = 16;
    static final String REGION = "ap-guangzhou";
    /** Images each bench owner holds: the default quota, the most one account can have in a region. */
    static final int OWNED = 500;
    /** Of those, the ones shared with the owner's recipient, who therefore lists 50 (like Glance's bench). */
    static final int LISTED = 50;
    /** Extra accounts that the share-list image is shared with, so DescribeImageSharePermission returns 10. */
    static final int EXTRA_SHARES = 9;
    /**
     * Images each bench deleter may delete during a run (half for each delete scenario of suite "all"). A separate
     * account, so that the owner's listing stays at the quota while the pool is far above it.
     */
    static final int DELETE_POOL = 3000;
    /** Accounts before this index belong to the fixtures; the population's images and shares use the others. */
    static final int FIRST_POPULATION_ACCOUNT = 4 * CLIENTS + EXTRA_SHARES;
    private static final int BATCH = 5_000;

    private final Connection c;
    private final SecretCipher cipher;
    private final Random random = new Random(42);
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final String origin = Lineage.imported("http://generator.invalid/gen.raw");
    private long imageSeq;

    private DataGenerator(Connection c, SecretCipher cipher) {
        this.c = c;
        this.cipher = cipher;
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int images = Integer.parseInt(args[1]);
        int accounts = Math.max(Integer.parseInt(args[2]), FIRST_POPULATION_ACCOUNT + 100);
        int shares = Integer.parseInt(args[3]);
        ServerConfig config = new ServerConfig();
        config.dataDir = dataDir;
        // a large page cache for the bulk load: the random-order index inserts of a million rows thrash the default 64 MB
        String url = args.length > 4 ? args[4] : config.effectiveDbUrl() + ";CACHE_SIZE=1048576";
        String user = args.length > 5 ? args[5] : "";
        Files.createDirectories(dataDir);
        long t0 = System.nanoTime();
        try (Database database = new Database(url, user, "", 2);
             Connection c = database.dataSource().getConnection()) {
            DataGenerator g = new DataGenerator(c, SecretCipher.fromEnvOrFile(config.effectiveMasterKeyFile()));
            List<Map<String, String>> credentials = g.accounts(accounts);
            Map<String, Object> fixtures = g.fixtures(credentials);
            g.population(images, accounts, shares, config.regions);
            new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(dataDir.resolve("bench-fixtures.json").toFile(), fixtures);
        }
        if (url.startsWith("jdbc:h2:")) {
            // the bulk load leaves most of the file as old chunk versions; without this the server would spend
            // its first minutes (and the benchmark's CPU) compacting them in the background
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            }
        }
        // one start of the node, as a deployment's first start: it seeds the public images and writes their bytes,
        // so that the start bench/run times is that of a populated deployment, not a first one
        ServerConfig node = new ServerConfig();
        node.dataDir = dataDir;
        node.port = 0;
        node.adminToken = "generator";
        if (args.length > 4) {
            node.dbUrl = url;
            node.dbUser = user;
        }
        Imagehub.start(node).close();
        System.err.printf("generated %,d images, %,d accounts, %,d shares (+ bench fixtures) in %.1f s%n",
                images, accounts, shares, (System.nanoTime() - t0) / 1e9);
    }

    static String accountId(int index) {
        return Long.toString(100_000_000_000L + index);
    }

    /** Accounts with one key each; returns the credentials of the first ones, which the fixtures use. */
    private List<Map<String, String>> accounts(int count) throws SQLException {
        List<Map<String, String>> first = new ArrayList<>();
        try (PreparedStatement account = c.prepareStatement(
                "INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?)");
             PreparedStatement key = c.prepareStatement("INSERT INTO api_keys (secret_id, account_id, secret_key_enc, "
                     + "enabled, created_at) VALUES (?, ?, ?, TRUE, ?)")) {
            Timestamp at = Timestamp.from(start);
            for (int i = 0; i < count; i++) {
                String id = accountId(i);
                String secretId = String.format("AKIDgen%010d", i);
                String secretKey = Ids.secretKey();
                account.setString(1, id);
                account.setString(2, "gen-" + i);
                account.setTimestamp(3, at);
                account.addBatch();
                key.setString(1, secretId);
                key.setString(2, id);
                key.setString(3, cipher.encrypt(secretId, secretKey));
                key.setTimestamp(4, at);
                key.addBatch();
                if (i < FIRST_POPULATION_ACCOUNT) {
                    first.add(Map.of("AccountId", id, "SecretId", secretId, "SecretKey", secretKey));
                }
                if (i % BATCH == BATCH - 1 || i == count - 1) {
                    account.executeBatch();
                    key.executeBatch();
                    c.commit();
                }
            }
        }
        return first;
    }

    /**
     * Per client k: owner k (account k) owns {@value #OWNED} images, the first {@value #LISTED} of them shared with
     * recipient k (account CLIENTS + k); the first of them is also shared with {@value #EXTRA_SHARES} more accounts
     * (4 * CLIENTS + e); the second is the one SHARE/CANCEL toggles with account 2 * CLIENTS + k; the third is the
     * one ModifyImageAttribute changes. Deleter k (account 3 * CLIENTS + k) owns {@value #DELETE_POOL} unshared
     * images to delete.
     */
    private Map<String, Object> fixtures(List<Map<String, String>> credentials) throws SQLException {
        List<Map<String, Object>> clients = new ArrayList<>();
        try (PreparedStatement image = imageInsert(); PreparedStatement share = shareInsert()) {
            for (int k = 0; k < CLIENTS; k++) {
                String owner = accountId(k);
                List<String> listed = new ArrayList<>();
                for (int i = 0; i < OWNED; i++) {
                    String id = addImage(image, owner, REGION);
                    if (i < LISTED) {
                        listed.add(id);
                        addShare(share, id, accountId(CLIENTS + k));
                    }
                }
                for (int e = 0; e < EXTRA_SHARES; e++) {
                    addShare(share, listed.get(0), accountId(4 * CLIENTS + e));
                }
                List<String> deletable = new ArrayList<>();
                for (int i = 0; i < DELETE_POOL; i++) {
                    deletable.add(addImage(image, accountId(3 * CLIENTS + k), REGION));
                }
                image.executeBatch();
                share.executeBatch();
                c.commit();
                Map<String, Object> client = new LinkedHashMap<>();
                client.put("Owner", credentials.get(k));
                client.put("Recipient", credentials.get(CLIENTS + k));
                client.put("Deleter", credentials.get(3 * CLIENTS + k));
                client.put("ListedImages", listed);
                client.put("ShareListImage", listed.get(0));
                client.put("ToggleShareImage", listed.get(1));
                client.put("ToggleShareAccount", accountId(2 * CLIENTS + k));
                client.put("ModifyImage", listed.get(2));
                client.put("DeletableImages", deletable);
                clients.add(client);
            }
        }
        return Map.of("Region", REGION, "Clients", clients);
    }

    /** The bulk: images with random owners and regions, and random shares among them. */
    private void population(int images, int accounts, int shares, List<RegionConfig> regions) throws SQLException {
        List<String> ids = new ArrayList<>(images);
        List<String> owners = new ArrayList<>(images);
        try (PreparedStatement image = imageInsert()) {
            for (int i = 0; i < images; i++) {
                // leave the fixture accounts' listings exactly as the fixtures describe them
                String owner = accountId(FIRST_POPULATION_ACCOUNT + random.nextInt(accounts - FIRST_POPULATION_ACCOUNT));
                ids.add(addImage(image, owner, regions.get(random.nextInt(regions.size())).region()));
                owners.add(owner);
                if (i % BATCH == BATCH - 1 || i == images - 1) {
                    image.executeBatch();
                    c.commit();
                }
            }
        }
        if (images == 0) {
            return;
        }
        Set<Long> taken = new HashSet<>();
        try (PreparedStatement share = shareInsert()) {
            for (int s = 0; s < shares; ) {
                int image = random.nextInt(images);
                int account = FIRST_POPULATION_ACCOUNT + random.nextInt(accounts - FIRST_POPULATION_ACCOUNT);
                if (accountId(account).equals(owners.get(image)) || !taken.add((long) image * accounts + account)) {
                    continue;
                }
                addShare(share, ids.get(image), accountId(account));
                s++;
                if (s % BATCH == 0 || s == shares) {
                    share.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private PreparedStatement imageInsert() throws SQLException {
        return c.prepareStatement("INSERT INTO images (image_id, region, owner_id, is_public, image_name, description, "
                + "state, source, os_name, platform, architecture, license_type, boot_mode, image_family, deprecated, "
                + "size_bytes, sha256, sync_percent, origin, created_at) "
                + "VALUES (?, ?, ?, FALSE, ?, '', 'NORMAL', 'EXTERNAL_IMPORT', 'CentOS 7', 'CentOS', 'x86_64', "
                + "'TencentCloud', 'Legacy BIOS', NULL, FALSE, 4096, ?, 100, ?, ?)");
    }

    private PreparedStatement shareInsert() throws SQLException {
        return c.prepareStatement("INSERT INTO image_shares (image_id, account_id, created_at) VALUES (?, ?, ?)");
    }

    /** Ids are img- and the sequence number in base 36, so they never collide with one another. */
    private String addImage(PreparedStatement ps, String owner, String region) throws SQLException {
        long n = imageSeq++;
        String id = "img-" + "0".repeat(8 - Long.toString(n, 36).length()) + Long.toString(n, 36);
        ps.setString(1, id);
        ps.setString(2, region);
        ps.setString(3, owner);
        ps.setString(4, "gen-" + n);
        ps.setString(5, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        ps.setString(6, origin);
        ps.setTimestamp(7, Timestamp.from(start.plusSeconds(n)));
        ps.addBatch();
        return id;
    }

    private void addShare(PreparedStatement ps, String imageId, String accountId) throws SQLException {
        ps.setString(1, imageId);
        ps.setString(2, accountId);
        ps.setTimestamp(3, Timestamp.from(start));
        ps.addBatch();
    }
}
