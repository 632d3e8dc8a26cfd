package io.imagehub.it;

import io.imagehub.api.Tc3Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official Tencent Cloud Node.js SDK, pinned by {@code src/test/node/package-lock.json}, and the machine's
 * {@code node} to run scripts with it. {@code npm ci} runs only when the lock file changed since the last install
 * (its SHA-256 is kept beside the installed modules), so a build pays for it once.
 */
public final class NodeSdk {
    public static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Path STAMP = DIR.resolve("node_modules").resolve(".imagehub-lock-sha256");

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String stdout, String stderr) {
        /** The names of the steps it reported ({@code step <name>} lines), in order. */
        public List<String> steps() {
            return stdout.lines().filter(l -> l.startsWith("step ")).map(l -> l.substring(5)).toList();
        }
    }

    private NodeSdk() {
    }

    /** Installs the locked packages unless the installed ones match the lock file. */
    public static synchronized void install() throws IOException, InterruptedException {
        String lock = Tc3Signer.sha256Hex(Files.readAllBytes(DIR.resolve("package-lock.json")));
        if (Files.exists(STAMP) && Files.readString(STAMP).equals(lock)) {
            return;
        }
        Run npm = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        if (npm.exitCode() != 0) {
            throw new IllegalStateException("npm ci failed:\n" + npm.stdout() + npm.stderr());
        }
        Files.writeString(STAMP, lock);
    }

    /** Runs {@code node script} in the package directory with {@code env} added, at most {@code timeoutSeconds}. */
    public static Run node(String script, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        install();
        return exec(List.of("node", script), env, timeoutSeconds);
    }

    private static Run exec(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("imagehub-node", ".out");
        Path err = Files.createTempFile("imagehub-node", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(DIR.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
