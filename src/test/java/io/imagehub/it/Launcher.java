package io.imagehub.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code bin/imagehub} as a user runs it: the real launcher script on the jar that {@code mvn package} built (so these
 * tests are failsafe's, run after packaging), with stdout and stderr kept apart, neither of them a terminal.
 */
public final class Launcher implements AutoCloseable {
    private static final Path SCRIPT = Path.of("bin", "imagehub").toAbsolutePath();

    private final Process process;
    private final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    public Launcher(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // the JDK running the tests (>= 21, chosen by the toolchain), not whatever `java` is first on the PATH
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        this.process = builder.start();
        process.getOutputStream().close();
        this.stdoutReader = Thread.ofVirtual().start(() -> copyLines(process.getInputStream(), unread::add));
        this.stderrReader = Thread.ofVirtual().start(() -> copyLines(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }));
    }

    /** Runs a command that ends by itself and returns its exit code. */
    public static Launcher run(List<String> args, Duration timeout) throws IOException, InterruptedException {
        Launcher launcher = new Launcher(args);
        if (!launcher.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            launcher.close();
            throw new IllegalStateException("bin/imagehub " + args + " did not finish; stderr:\n" + launcher.stderr());
        }
        launcher.stdoutReader.join();
        launcher.stderrReader.join();
        return launcher;
    }

    /** Waits for the first stdout line (after those already read) that matches, and returns it. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("no such line on stdout within " + timeout + "; stdout:\n"
                        + String.join("\n", stdout) + "\nstderr:\n" + stderr());
            }
            stdout.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** The stdout lines read so far by {@link #awaitLine}, plus whatever has arrived since. */
    public List<String> stdout() {
        unread.drainTo(stdout);
        return List.copyOf(stdout);
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** SIGTERM (a server drains and stops), then waits for it and for the rest of its output. */
    public int stop() throws InterruptedException {
        process.toHandle().destroy(); // Process.destroy() would also close our end of its stdout and stderr
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        stderrReader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static void copyLines(InputStream stream, java.util.function.Consumer<String> sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                sink.accept(line);
            }
        } catch (IOException e) {
            sink.accept("(stream failed: " + e + ")");
        }
    }
}
