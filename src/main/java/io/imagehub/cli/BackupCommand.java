package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.backup.BackupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backup", description = "Back up a running node (embedded database) into a new directory.",
        footer = {"The node writes DIR on its own machine while it serves: database snapshot, chunk files (hard links "
                + "where possible), backup.json. Keep the master key apart. Restore with `imagehub restore`.",
                "Exit codes: 0 done, 2 refused (relative path, PostgreSQL node), 3 node unreachable, 7 the node's "
                        + "store lacks a chunk, 8 DIR is not empty."})
public final class BackupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;
    @Option(names = "--to", required = true, paramLabel = "DIR", description = "New or empty directory for the backup.")
    Path to;
    @Option(names = "--copy", description = "Copy chunk files even where a hard link would do (another disk's safety).")
    boolean copy;
    @Mixin
    AdminOptions admin;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpResponse<String> answer;
        try {
            String body = JSON.writeValueAsString(Map.of("To", to.toAbsolutePath().normalize().toString(),
                    "CopyChunks", copy));
            answer = admin.client().postForAnswer("/admin/backup", body);
        } catch (IOException e) {
            err.println("imagehub backup: " + (e.getMessage() == null ? "cannot reach " + admin.endpoint : e.getMessage()));
            return ExitCodes.TRANSPORT;
        }
        JsonNode json = parse(answer.body());
        if (answer.statusCode() != 200) {
            err.println("imagehub backup: " + json.path("Error").asText(answer.body()));
            String kind = json.path("Kind").asText("");
            return kind.isEmpty() ? ExitCodes.API_ERROR : exitCode(BackupException.Kind.valueOf(kind));
        }
        JsonNode manifest = json.path("Manifest");
        out.println("backup written to " + json.path("Dir").asText());
        out.println("  database  " + manifest.at("/database/bytes").asLong() + " bytes, sha256 "
                + manifest.at("/database/sha256").asText());
        out.println("  rows      " + manifest.path("counts"));
        for (JsonNode store : manifest.path("stores")) {
            out.println("  store " + store.path("name").asText() + " (" + store.path("location").asText() + "): "
                    + store.path("chunks").asLong() + " chunks" + (store.path("copied").asBoolean()
                    ? ", " + store.path("bytes").asLong() + " bytes"
                    : " listed; the bucket holds them (keep versioning on)"));
        }
        out.println("  chunk files: " + json.path("ChunksLinked").asLong() + " hard-linked, "
                + json.path("ChunksCopied").asLong() + " copied");
        out.println("keep the node's master key apart from the backup: restore needs it (--master-key)");
        out.flush();
        return ExitCodes.OK;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The exit code of a backup or restore that did not happen. */
    static int exitCode(BackupException.Kind kind) {
        return switch (kind) {
            case TARGET_NOT_EMPTY -> ExitCodes.NOT_EMPTY;
            case INVALID_BACKUP, DAMAGED -> ExitCodes.BACKUP_INVALID;
            case REFUSED -> ExitCodes.USAGE;
            case BUSY -> ExitCodes.API_ERROR;
        };
    }
}
