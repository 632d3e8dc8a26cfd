package io.imagehub.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An imagehub node as a real child process ({@code io.imagehub.Main serve} on this JVM's class path), for tests
 * that need several nodes on one database or must kill a node mid-way. Its output (the start banner) goes to
 * {@code node.log} and its log (stderr) to {@code node.err} in its data dir (appended, so that restarts on one data
 * dir keep one history).
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("imagehub listening on http://([0-9.]+:[0-9]+)");
    /** The JVM options of a test node: small heap, quick start (C1 only). */
    public static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    private final Process process;
    private final String endpoint;

    /**
     * Starts {@code serve --port 0 --data-dir dataDir} plus {@code serveArgs}, with {@code env} added to the
     * environment, and waits (at most 60 s) for the line that announces its port.
     */
    public NodeProcess(Path dataDir, Map<String, String> env, List<String> serveArgs) throws IOException {
        this(dataDir, env, serveArgs, TEST_JVM);
    }

    /** As {@link #NodeProcess(Path, Map, List)}, on a JVM started with {@code jvmOptions}. */
    public NodeProcess(Path dataDir, Map<String, String> env, List<String> serveArgs, List<String> jvmOptions)
            throws IOException {
        Files.createDirectories(dataDir);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.imagehub.Main",
                "serve", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(serveArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("node.err").toFile()));
        builder.environment().putAll(env);
        this.process = builder.start();
        CompletableFuture<String> announced = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> readStdout(dataDir.resolve("node.log"), announced));
        try {
            this.endpoint = announced.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("the node did not start; see " + dataDir.resolve("node.err"), e);
        }
    }

    /** host:port of the node. */
    public String endpoint() {
        return endpoint;
    }

    /** Copies stdout to a file, completing {@code announced} with the endpoint once the node's banner says it listens. */
    private void readStdout(Path log, CompletableFuture<String> announced) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                out.flush();
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    announced.complete(m.group(1));
                }
            }
            announced.completeExceptionally(new IOException("the node exited with " + process.waitFor()));
        } catch (IOException | InterruptedException e) {
            announced.completeExceptionally(e);
        }
    }

    /** The operating system's id of the node's process (a job's lease owner starts with it). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, without waiting: the node drains (see {@link #awaitExit}). */
    public void terminate() {
        process.destroy();
    }

    /** Waits at most {@code timeout} for the process to end; its exit code, or -1 if it still runs. */
    public int awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: no shutdown hook runs; its jobs stay RUNNING under a lease that must run out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (the node drains and stops), then a hard kill if it has not gone within 15 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
