package io.imagehub.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An imagehub node in a child JVM ({@code io.imagehub.Main serve}) on the test classpath, so that a test can kill
 * it with SIGKILL ({@link #kill()}) mid-way through a job and start another on the same data dir. Its output goes
 * to {@code log}.
 */
public final class ChildNode implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("imagehub listening on http://127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final int port;

    private ChildNode(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ChildNode start(Path dataDir, Path config, String adminToken, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.imagehub.Main", "serve", "--port", "0", "--data-dir", dataDir.toString(), "--config", config.toString()))
                .redirectErrorStream(true);
        builder.environment().put("IMAGEHUB_ADMIN_TOKEN", adminToken);
        Process process = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> copyOutput(process, log, port));
        try {
            return new ChildNode(process, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the child node did not start; see " + log, e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> port) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter sink = new PrintWriter(Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            while ((line = out.readLine()) != null) {
                sink.println(line);
                sink.flush();
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the child node exited"));
    }

    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, jobs stay RUNNING under a lease that must run out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node shuts down in order. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
