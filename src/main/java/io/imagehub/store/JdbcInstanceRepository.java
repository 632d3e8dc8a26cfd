package io.imagehub.store;

import io.imagehub.domain.Image;
import io.imagehub.domain.Instance;
import io.imagehub.domain.InstanceQuery;
import io.imagehub.domain.InstanceRepository;
import io.imagehub.domain.InstanceState;
import io.imagehub.domain.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

final class JdbcInstanceRepository implements InstanceRepository {
    private static final String COLUMNS = "instance_id, uuid, owner_id, region, zone, instance_type, cpu, memory_gib, "
            + "instance_name, state, image_id, image_owner_id, os_name, platform, architecture, license_type, boot_mode, "
            + "disk_id, disk_type, disk_size_gib, private_ip, latest_operation, latest_operation_state, "
            + "latest_operation_request_id, created_at";

    private final Sql sql;

    JdbcInstanceRepository(Connection connection) {
        this.sql = new Sql(connection);
    }

    @Override
    public void insert(Instance i, String diskManifestJson) {
        sql.update("INSERT INTO instances (" + COLUMNS + ", disk_manifest) VALUES ("
                        + Sql.placeholders(COLUMNS.split(",").length + 1) + ")",
                i.instanceId(), i.uuid(), i.ownerId(), i.region(), i.zone(), i.instanceType(), i.cpu(), i.memoryGiB(),
                i.name(), i.state().name(), i.imageId(), i.imageOwnerId(), i.osName(), i.platform(), i.architecture(),
                i.licenseType(), i.bootMode(), i.diskId(), i.diskType(), i.diskSizeGiB(), i.privateIp(),
                i.latestOperation(), i.latestOperationState(), i.latestOperationRequestId(), i.createdAt(),
                diskManifestJson);
    }

    @Override
    public Optional<Instance> find(String instanceId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM instances WHERE instance_id = ?", JdbcInstanceRepository::row,
                instanceId);
    }

    @Override
    public List<Instance> findForUpdate(Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return List.of();
        }
        return sql.query("SELECT " + COLUMNS + " FROM instances WHERE instance_id IN ("
                + Sql.placeholders(instanceIds.size()) + ") ORDER BY instance_id FOR UPDATE",
                JdbcInstanceRepository::row, instanceIds.toArray());
    }

    @Override
    public int countOwned(String ownerId, String region) {
        return (int) sql.queryLong("SELECT COUNT(*) FROM instances WHERE owner_id = ? AND region = ?", ownerId, region);
    }

    @Override
    public Page<Instance> search(InstanceQuery q) {
        StringBuilder where = new StringBuilder(" FROM instances WHERE owner_id = ? AND region = ?");
        List<Object> params = new ArrayList<>(List.of(q.ownerId(), q.region()));
        in(where, params, "instance_id", q.instanceIds());
        in(where, params, "zone", q.zones());
        in(where, params, "state", q.states().stream().map(InstanceState::name).toList());
        if (!q.names().isEmpty()) { // instance-name is a fuzzy filter: any value contained in the name
            where.append(" AND (").append(String.join(" OR ",
                    q.names().stream().map(n -> "instance_name LIKE ? ESCAPE '\\'").toList())).append(")");
            q.names().forEach(n -> params.add("%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"));
        }
        long total = sql.queryLong("SELECT COUNT(*)" + where, params.toArray());
        params.add(q.limit());
        params.add(q.offset());
        List<Instance> items = sql.query("SELECT " + COLUMNS + where + " ORDER BY launch_seq LIMIT ? OFFSET ?",
                JdbcInstanceRepository::row, params.toArray());
        return new Page<>(items, total);
    }

    private static void in(StringBuilder where, List<Object> params, String column, List<String> values) {
        if (!values.isEmpty()) {
            where.append(" AND ").append(column).append(" IN (").append(Sql.placeholders(values.size())).append(")");
            params.addAll(values);
        }
    }

    @Override
    public void updateState(String instanceId, InstanceState state) {
        sql.update("UPDATE instances SET state = ? WHERE instance_id = ?", state.name(), instanceId);
    }

    @Override
    public void updateOperation(String instanceId, String operation, String operationState, String requestId) {
        sql.update("UPDATE instances SET latest_operation = ?, latest_operation_state = ?, "
                + "latest_operation_request_id = ? WHERE instance_id = ?", operation, operationState, requestId, instanceId);
    }

    @Override
    public void replaceDisk(String instanceId, Image image, int diskSizeGiB, String diskManifestJson) {
        sql.update("UPDATE instances SET image_id = ?, image_owner_id = ?, os_name = ?, platform = ?, architecture = ?, "
                        + "license_type = ?, boot_mode = ?, disk_size_gib = ?, disk_manifest = ? WHERE instance_id = ?",
                image.imageId(), image.isPublic() ? null : image.ownerId(), image.osName(), image.platform(),
                image.architecture(), image.licenseType(), image.bootMode(), diskSizeGiB, diskManifestJson, instanceId);
    }

    @Override
    public String diskManifest(String instanceId) {
        return sql.queryOne("SELECT disk_manifest FROM instances WHERE instance_id = ?", rs -> rs.getString(1),
                instanceId).orElse(null);
    }

    @Override
    public void recordDiskOrigin(String instanceId, DiskOrigin origin) {
        sql.update("UPDATE instances SET disk_format = ?, disk_virtual_bytes = ? WHERE instance_id = ?",
                origin.diskFormat(), origin.virtualSizeBytes(), instanceId);
    }

    @Override
    public DiskOrigin diskOrigin(String instanceId) {
        return sql.queryOne("SELECT disk_format, disk_virtual_bytes FROM instances WHERE instance_id = ?",
                rs -> new DiskOrigin(rs.getString(1), rs.getLong(2)), instanceId).orElse(null);
    }

    @Override
    public void delete(String instanceId) {
        sql.update("DELETE FROM instances WHERE instance_id = ?", instanceId);
    }

    @Override
    public Optional<List<String>> findClientToken(String ownerId, String region, String clientToken) {
        return sql.queryOne("SELECT instance_ids FROM instance_client_tokens WHERE account_id = ? AND region = ? "
                        + "AND client_token = ?", rs -> Arrays.asList(rs.getString(1).split(",")),
                ownerId, region, clientToken);
    }

    @Override
    public void saveClientToken(String ownerId, String region, String clientToken, List<String> instanceIds,
                                Instant now) {
        sql.update("INSERT INTO instance_client_tokens (account_id, region, client_token, instance_ids, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", ownerId, region, clientToken, String.join(",", instanceIds), now);
    }

    private static Instance row(ResultSet rs) throws SQLException {
        return new Instance(rs.getString("instance_id"), rs.getString("uuid"), rs.getString("owner_id"),
                rs.getString("region"), rs.getString("zone"), rs.getString("instance_type"), rs.getInt("cpu"),
                rs.getInt("memory_gib"), rs.getString("instance_name"), InstanceState.valueOf(rs.getString("state")),
                rs.getString("image_id"), rs.getString("image_owner_id"), rs.getString("os_name"),
                rs.getString("platform"), rs.getString("architecture"), rs.getString("license_type"),
                rs.getString("boot_mode"), rs.getString("disk_id"), rs.getString("disk_type"),
                rs.getInt("disk_size_gib"), rs.getString("private_ip"), rs.getString("latest_operation"),
                rs.getString("latest_operation_state"), rs.getString("latest_operation_request_id"),
                Sql.instant(rs, "created_at"));
    }
}
