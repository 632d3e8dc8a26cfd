package io.imagehub.store;

import io.imagehub.domain.Image;
import io.imagehub.domain.ImageQuery;
import io.imagehub.domain.ImageRepository;
import io.imagehub.domain.ImageState;
import io.imagehub.domain.ImageView;
import io.imagehub.domain.ListingVersion;
import io.imagehub.domain.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcImageRepository implements ImageRepository {
    private static final String COLUMNS = "i.image_id, i.region, i.owner_id, i.is_public, i.image_name, i.description, "
            + "i.state, i.source, i.os_name, i.platform, i.architecture, i.license_type, i.boot_mode, i.image_family, "
            + "i.deprecated, i.size_bytes, i.sha256, i.sync_percent, i.origin, i.created_at, i.disk_format, "
            + "i.virtual_size_bytes, i.failure_reason";
    /** Position of a search's image_type, right after the {@link #COLUMNS}. */
    private static final int IMAGE_TYPE_COLUMN = 24;

    private final Sql sql;
    private final ListingChanges listingChanges;

    JdbcImageRepository(Connection connection, ListingChanges listingChanges) {
        this.sql = new Sql(connection);
        this.listingChanges = listingChanges;
    }

    @Override
    public Optional<Image> find(String imageId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM images i WHERE i.image_id = ?", this::row, imageId)
                .map(this::withTags);
    }

    @Override
    public Optional<Image> findForUpdate(String imageId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM images i WHERE i.image_id = ? FOR UPDATE", this::row, imageId)
                .map(this::withTags);
    }

    @Override
    public void insert(Image i) {
        sql.update("INSERT INTO images (image_id, region, owner_id, is_public, image_name, description, state, source, "
                        + "os_name, platform, architecture, license_type, boot_mode, image_family, deprecated, size_bytes, "
                        + "sha256, sync_percent, origin, created_at, disk_format, virtual_size_bytes, failure_reason) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                i.imageId(), i.region(), i.ownerId(), i.isPublic(), i.name(), i.description(), i.state().name(),
                i.source(), i.osName(), i.platform(), i.architecture(), i.licenseType(), i.bootMode(), i.family(),
                i.deprecated(), i.sizeBytes(), i.sha256(), i.syncPercent(), i.origin(), i.createdAt(), i.diskFormat(),
                i.virtualSizeBytes(), i.failureReason());
        listingChanges.account(i.isPublic() ? ListingChanges.PUBLIC : i.ownerId());
        i.tags().forEach((k, v) ->
                sql.update("INSERT INTO image_tags (image_id, tag_key, tag_value) VALUES (?, ?, ?)", i.imageId(), k, v));
    }

    @Override
    public void updateAttributes(String imageId, String name, String description, String family, boolean deprecated) {
        listingChanges.image(sql, imageId);
        sql.update("UPDATE images SET image_name = ?, description = ?, image_family = ?, deprecated = ? WHERE image_id = ?",
                name, description, family, deprecated, imageId);
    }

    @Override
    public void completeData(String imageId, ImageState state, long sizeBytes, String sha256, String manifestJson) {
        listingChanges.image(sql, imageId);
        sql.update("UPDATE images SET state = ?, size_bytes = ?, sha256 = ?, manifest = ?, sync_percent = ? WHERE image_id = ?",
                state.name(), sizeBytes, sha256, manifestJson, state == ImageState.NORMAL ? 100 : null, imageId);
    }

    @Override
    public void recordDisk(String imageId, String diskFormat, long virtualSizeBytes) {
        listingChanges.image(sql, imageId);
        sql.update("UPDATE images SET disk_format = ?, virtual_size_bytes = ? WHERE image_id = ?", diskFormat,
                virtualSizeBytes, imageId);
    }

    @Override
    public void recordFailure(String imageId, String reason) {
        listingChanges.image(sql, imageId);
        sql.update("UPDATE images SET failure_reason = ? WHERE image_id = ?", reason, imageId);
    }

    @Override
    public void updateSyncPercent(String imageId, int percent) {
        listingChanges.image(sql, imageId);
        sql.update("UPDATE images SET sync_percent = ? WHERE image_id = ?", percent, imageId);
    }

    @Override
    public void delete(String imageId) {
        listingChanges.image(sql, imageId);
        sql.update("DELETE FROM image_tags WHERE image_id = ?", imageId);
        sql.update("DELETE FROM images WHERE image_id = ?", imageId);
    }

    @Override
    public ListingVersion listingVersion(String accountId) {
        long[] versions = new long[2];
        sql.query("SELECT account_id, version FROM listing_versions WHERE account_id IN (?, ?)",
                rs -> versions[ListingChanges.PUBLIC.equals(rs.getString(1)) ? 1 : 0] = rs.getLong(2),
                accountId, ListingChanges.PUBLIC);
        return new ListingVersion(versions[0], versions[1]);
    }

    @Override
    public int countOwned(String ownerId, String region) {
        return (int) sql.queryLong("SELECT COUNT(*) FROM images WHERE owner_id = ? AND region = ?", ownerId, region);
    }

    @Override
    public boolean nameTaken(String ownerId, String region, String name, String exceptImageId) {
        return sql.queryLong("SELECT COUNT(*) FROM images WHERE owner_id = ? AND region = ? AND image_name = ? "
                + "AND image_id <> ?", ownerId, region, name, exceptImageId == null ? "" : exceptImageId) > 0;
    }

    @Override
    public String manifest(String imageId) {
        return sql.queryOne("SELECT manifest FROM images WHERE image_id = ?", rs -> rs.getString(1), imageId).orElse(null);
    }

    /**
     * One branch per kind of visibility, so that each uses its own index (public by region, owned by owner,
     * shared by recipient) instead of one OR that scans every image. Each branch returns only its first
     * offset + limit rows: the public and owned branches name their index's leading columns in ORDER BY (constant
     * under their WHERE) so that H2 reads the listing index in order and stops there, instead of sorting every
     * matching row (H2 uses an index for ORDER BY only when the sort columns are a prefix of the index).
     * The total is the sum of per-branch counts, asked only when the page does not already tell it. A share its
     * recipient declined is not listed to that recipient.
     */
    @Override
    public Page<ImageView> search(ImageQuery q) {
        List<Branch> branches = new ArrayList<>();
        if (q.kinds().contains(ImageQuery.PUBLIC)) {
            branches.add(Branch.of(q, ImageQuery.PUBLIC, " FROM images i WHERE i.is_public AND i.region = ?",
                    List.of(q.region()), "i.is_public, i.region, "));
        }
        if (q.kinds().contains(ImageQuery.PRIVATE)) {
            branches.add(Branch.of(q, ImageQuery.PRIVATE, " FROM images i WHERE i.owner_id = ? AND i.region = ?",
                    List.of(q.callerId(), q.region()), "i.owner_id, i.region, "));
        }
        if (q.kinds().contains(ImageQuery.SHARED)) {
            branches.add(Branch.of(q, ImageQuery.SHARED, " FROM image_shares s JOIN images i ON i.image_id = s.image_id "
                    + "WHERE s.account_id = ? AND s.declined_at IS NULL AND i.region = ?", List.of(q.callerId(), q.region()), ""));
        }
        if (branches.isEmpty()) {
            return new Page<>(List.of(), 0);
        }
        List<Object> params = new ArrayList<>();
        branches.forEach(b -> params.addAll(b.params()));
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(q.limit());
        pageParams.add(q.offset());
        long top = (long) q.offset() + q.limit();
        List<ImageView> views = sql.query("SELECT * FROM ("
                        + String.join(" UNION ALL ", branches.stream().map(b -> b.firstRows(top)).toList())
                        + ") v ORDER BY v.created_at DESC, v.image_id LIMIT ? OFFSET ?",
                rs -> new ImageView(row(rs), rs.getString(IMAGE_TYPE_COLUMN)), pageParams.toArray());
        long total = views.size() < q.limit() && (views.size() > 0 || q.offset() == 0)
                ? q.offset() + views.size()
                : sql.queryLong("SELECT " + String.join(" + ", branches.stream().map(Branch::count).toList()),
                        params.toArray());
        Map<String, Map<String, String>> tags = tagsOf(views.stream().map(v -> v.image().imageId()).toList());
        return new Page<>(views.stream().map(v -> new ImageView(withTags(v.image(), tags), v.imageType())).toList(), total);
    }

    /**
     * One visibility branch of a search: its FROM/WHERE with the query's filters, their parameters, and the leading
     * columns of its listing index that ORDER BY must name for H2 to read that index in order.
     */
    private record Branch(String imageType, String from, List<Object> params, String indexPrefix) {
        static Branch of(ImageQuery q, String imageType, String fromWhere, List<Object> branchParams,
                         String indexPrefix) {
            List<Object> params = new ArrayList<>();
            String from = fromWhere + filters(q, params, branchParams);
            return new Branch(imageType, from, params, indexPrefix);
        }

        /** The branch's first {@code n} rows in listing order. */
        String firstRows(long n) {
            return "(SELECT " + COLUMNS + ", '" + imageType + "' AS image_type" + from + " ORDER BY " + indexPrefix
                    + "i.created_at DESC, i.image_id LIMIT " + n + ")";
        }

        String count() {
            return "(SELECT COUNT(*)" + from + ")";
        }
    }

    /** Appends the query's filter conditions for one branch, binding the branch's own parameters first. */
    private static String filters(ImageQuery q, List<Object> params, List<Object> branchParams) {
        params.addAll(branchParams);
        StringBuilder where = new StringBuilder();
        if (!q.imageIds().isEmpty()) {
            where.append(" AND i.image_id IN (").append(Sql.placeholders(q.imageIds().size())).append(')');
            params.addAll(q.imageIds());
        }
        appendLike(where, params, "i.image_name", q.nameLike());
        appendLike(where, params, "i.platform", q.platformLike());
        for (ImageQuery.TagFilter tag : q.tagFilters()) {
            where.append(" AND EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.image_id");
            if (!tag.keys().isEmpty()) {
                where.append(" AND t.tag_key IN (").append(Sql.placeholders(tag.keys().size())).append(')');
                params.addAll(tag.keys());
            }
            if (!tag.values().isEmpty()) {
                where.append(" AND t.tag_value IN (").append(Sql.placeholders(tag.values().size())).append(')');
                params.addAll(tag.values());
            }
            where.append(')');
        }
        return where.toString();
    }

    private static void appendLike(StringBuilder where, List<Object> params, String column, List<String> substrings) {
        if (substrings.isEmpty()) {
            return;
        }
        List<String> ors = new ArrayList<>();
        for (String s : substrings) {
            ors.add("LOWER(" + column + ") LIKE ? ESCAPE '\\'");
            params.add("%" + s.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        where.append(" AND (").append(String.join(" OR ", ors)).append(')');
    }

    private Map<String, Map<String, String>> tagsOf(List<String> imageIds) {
        Map<String, Map<String, String>> tags = new HashMap<>();
        if (imageIds.isEmpty()) {
            return tags;
        }
        sql.query("SELECT image_id, tag_key, tag_value FROM image_tags WHERE image_id IN (" + Sql.placeholders(imageIds.size())
                + ") ORDER BY tag_key", rs -> tags.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                .put(rs.getString(2), rs.getString(3)), imageIds.toArray());
        return tags;
    }

    private Image withTags(Image image) {
        return withTags(image, tagsOf(List.of(image.imageId())));
    }

    private static Image withTags(Image i, Map<String, Map<String, String>> tags) {
        Map<String, String> own = tags.get(i.imageId());
        if (own == null) {
            return i;
        }
        return new Image(i.imageId(), i.region(), i.ownerId(), i.isPublic(), i.name(), i.description(), i.state(),
                i.source(), i.osName(), i.platform(), i.architecture(), i.licenseType(), i.bootMode(), i.family(),
                i.deprecated(), i.sizeBytes(), i.sha256(), i.syncPercent(), i.origin(), i.createdAt(), own,
                i.diskFormat(), i.virtualSizeBytes(), i.failureReason());
    }

    /** Maps the {@link #COLUMNS} by position: by name, H2 looks every column up again for every row. */
    private Image row(ResultSet rs) throws SQLException {
        return new Image(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                rs.getString(6), ImageState.valueOf(rs.getString(7)), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getBoolean(15), rs.getLong(16), rs.getString(17), rs.getObject(18, Integer.class), rs.getString(19),
                Sql.instant(rs, 20), Map.of(), rs.getString(21), rs.getLong(22), rs.getString(23));
    }
}
