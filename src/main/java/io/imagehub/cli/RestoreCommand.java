package io.imagehub.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.backup.BackupException;
import io.imagehub.backup.BackupManifest;
import io.imagehub.backup.Restore;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.SecretCipher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = "Restore a backup into a new data dir, then serve it.",
        footer = {"Checks backup.json, the database file, every chunk and the master key before it writes anything; "
                + "a failure leaves --data-dir empty.",
                "Exit codes: 0 done, 2 refused (no or wrong master key, a store the configuration lacks), 7 the backup "
                        + "is incomplete or corrupt, 8 --data-dir is not empty."})
public final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The backup directory.")
    Path from;
    @Option(names = "--data-dir", required = true, paramLabel = "NEW", description = "New or empty data dir to restore into.")
    Path dataDir;
    @Option(names = "--config", description = "The configuration the new node will run with (its chunk stores).")
    Path configFile;
    @Option(names = "--master-key", paramLabel = "FILE", description = "The backed-up node's master.key (else env IMAGEHUB_MASTER_KEY).")
    Path masterKey;
    @Option(names = "--copy", description = "Copy chunk files even where a hard link to the backup's would do.")
    boolean copy;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config = configFile != null ? ServerConfig.load(configFile) : new ServerConfig();
        config.dataDir = dataDir;
        try {
            Restore.Result result = Restore.run(from, config, key(config), masterKey, copy);
            BackupManifest manifest = result.manifest();
            out.println("restored the backup of " + manifest.createdAt() + " into " + result.dataDir());
            out.println("  rows      " + new ObjectMapper().writeValueAsString(manifest.counts()));
            for (BackupManifest.StoreEntry store : manifest.stores()) {
                out.println("  store " + store.name() + ": " + store.chunks() + " chunks "
                        + (store.copied() ? "verified and placed" : "found in the bucket"));
            }
            out.println("  chunk files: " + result.chunksLinked() + " hard-linked, " + result.chunksCopied() + " copied");
            out.println("start it: bin/imagehub serve --data-dir " + dataDir
                    + (configFile != null ? " --config " + configFile : ""));
            out.flush();
            return ExitCodes.OK;
        } catch (BackupException e) {
            err.println("imagehub restore: " + e.getMessage());
            return BackupCommand.exitCode(e.kind());
        }
    }

    /** --master-key, else env IMAGEHUB_MASTER_KEY, else the configuration's masterKeyFile: what the new node will use. */
    private SecretCipher key(ServerConfig config) throws Exception {
        if (masterKey != null) {
            return Restore.masterKey(masterKey);
        }
        String env = System.getenv("IMAGEHUB_MASTER_KEY");
        if (env != null && !env.isBlank()) {
            return new SecretCipher(Base64.getDecoder().decode(env.trim()));
        }
        if (config.masterKeyFile != null && Files.exists(config.masterKeyFile)) {
            return Restore.masterKey(config.masterKeyFile);
        }
        throw new BackupException(BackupException.Kind.REFUSED, "restore needs the master key the backup's SecretKeys "
                + "are sealed with: --master-key FILE (the backed-up node's <data-dir>/master.key) or env IMAGEHUB_MASTER_KEY");
    }
}
