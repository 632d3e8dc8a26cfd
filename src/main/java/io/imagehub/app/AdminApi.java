package io.imagehub.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.imagehub.backup.BackupException;
import io.imagehub.backup.NodeBackup;
import io.imagehub.domain.AccountService;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.AuditEvent;
import io.imagehub.domain.Credentials;
import io.imagehub.domain.ImageService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators' surface, separate from the Tencent API and guarded by the admin token (a bearer token compared in
 * constant time): create accounts, read the audit trail, take a backup.
 */
public final class AdminApi {
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] token;
    private final AccountService accounts;
    private final ImageService images;
    private final NodeBackup backup;

    public AdminApi(String token, AccountService accounts, ImageService images, NodeBackup backup) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.accounts = accounts;
        this.images = images;
        this.backup = backup;
    }

    void createAccounts(ServerRequest req, ServerResponse res) throws IOException {
        if (!authorized(req, res)) {
            return;
        }
        ObjectNode body = jsonObject(req, res);
        if (body == null) {
            return;
        }
        String name = body.path("Name").asText(null);
        int count = body.path("Count").asInt(1);
        try {
            List<Credentials> created = accounts.create(name, count);
            reply(res, Status.OK_200, created.stream().map(AdminApi::credentialsJson).toList());
        } catch (ApiException e) {
            reply(res, Status.BAD_REQUEST_400, Map.of("Error", e.getMessage()));
        }
    }

    /** {@code [{"AccountId", "Name", "CreatedTime"}]}, oldest first, at most {@code limit} (default and cap 1000). */
    void listAccounts(ServerRequest req, ServerResponse res) throws IOException {
        if (!authorized(req, res)) {
            return;
        }
        String limitText = req.query().first("limit").orElse("1000");
        if (!limitText.matches("[0-9]{1,6}")) {
            reply(res, Status.BAD_REQUEST_400, Map.of("Error", "limit must be a whole number"));
            return;
        }
        int limit = Math.min(1000, Math.max(1, Integer.parseInt(limitText)));
        reply(res, Status.OK_200, accounts.list(limit).stream().map(a -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("AccountId", a.accountId());
            m.put("Name", a.name());
            m.put("CreatedTime", a.createdAt().toString());
            return m;
        }).toList());
    }

    void audit(ServerRequest req, ServerResponse res) throws IOException {
        if (!authorized(req, res)) {
            return;
        }
        String image = req.query().first("image").orElse(null);
        String account = req.query().first("account").orElse(null);
        String limitText = req.query().first("limit").orElse("1000");
        if (!limitText.matches("[0-9]{1,6}")) {
            reply(res, Status.BAD_REQUEST_400, Map.of("Error", "limit must be a whole number"));
            return;
        }
        int limit = Math.min(10_000, Math.max(1, Integer.parseInt(limitText)));
        List<AuditEvent> events = images.audit(image, account, limit);
        reply(res, Status.OK_200, events.stream().map(AdminApi::eventJson).toList());
    }

    /**
     * {@code {"To": "/absolute/dir", "CopyChunks": false}}: an online backup into that directory of this node's file
     * system (docs/operations.md, Backups), answered with its backup.json once it is complete. 409: the directory is
     * not empty, or a backup is under way; 400: it cannot be done as asked (PostgreSQL, a relative path).
     */
    void backup(ServerRequest req, ServerResponse res) throws IOException {
        if (!authorized(req, res)) {
            return;
        }
        ObjectNode body = jsonObject(req, res);
        if (body == null) {
            return;
        }
        Path to;
        try {
            to = Path.of(body.path("To").asText(""));
        } catch (InvalidPathException e) {
            to = Path.of("");
        }
        if (to.toString().isEmpty()) {
            reply(res, Status.BAD_REQUEST_400, Map.of("Error", "To must name the backup directory"));
            return;
        }
        try {
            NodeBackup.Result result = backup.take(to, body.path("CopyChunks").asBoolean(false));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Dir", result.dir().toString());
            answer.put("ChunksLinked", result.chunksLinked());
            answer.put("ChunksCopied", result.chunksCopied());
            answer.put("Manifest", result.manifest());
            reply(res, Status.OK_200, answer);
        } catch (BackupException e) {
            Status status = switch (e.kind()) {
                case TARGET_NOT_EMPTY, BUSY -> Status.CONFLICT_409;
                case REFUSED -> Status.BAD_REQUEST_400;
                case INVALID_BACKUP, DAMAGED -> Status.INTERNAL_SERVER_ERROR_500;
            };
            reply(res, status, Map.of("Error", e.getMessage(), "Kind", e.kind().name()));
        }
    }

    /** The request body as a JSON object, or null once a 400 has been sent. */
    private static ObjectNode jsonObject(ServerRequest req, ServerResponse res) throws IOException {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY);
            return (ObjectNode) JSON.readTree(bytes);
        } catch (IOException | ClassCastException e) {
            reply(res, Status.BAD_REQUEST_400, Map.of("Error", "the body must be a JSON object"));
            return null;
        }
    }

    private static Map<String, String> credentialsJson(Credentials c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("AccountId", c.accountId());
        m.put("SecretId", c.secretId());
        m.put("SecretKey", c.secretKey());
        return m;
    }

    private static Map<String, Object> eventJson(AuditEvent e) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("Time", e.at().toString());
        m.put("RequestId", e.requestId());
        m.put("Actor", e.actorId());
        m.put("Action", e.action());
        m.put("ImageId", e.imageId());
        m.put("Accounts", e.accounts());
        m.put("Outcome", e.outcome());
        m.put("Detail", e.detail());
        return m;
    }

    private boolean authorized(ServerRequest req, ServerResponse res) throws IOException {
        byte[] given = req.headers().first(HeaderNames.AUTHORIZATION).orElse("").getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, token)) {
            return true;
        }
        reply(res, Status.UNAUTHORIZED_401, Map.of("Error", "a valid admin token is required"));
        return false;
    }

    private static void reply(ServerResponse res, Status status, Object body) throws IOException {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(body));
    }
}
