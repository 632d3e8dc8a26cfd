package io.imagehub.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a client command reads and writes besides its arguments: the environment (so $HOME and the TENCENTCLOUD_*
 * variables can be given by a test), standard input, output and error, and whether a person is watching.
 */
public record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                         boolean terminal) {

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.out, System.err, stdoutIsTerminal());
    }

    /** Where profiles live: {@code $HOME/.imagehub}. */
    public Path profileDir() {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".imagehub");
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Columns of the terminal ($COLUMNS when the shell exports it). */
    public int columns() {
        try {
            return Integer.parseInt(env.getOrDefault("COLUMNS", "120"));
        } catch (NumberFormatException e) {
            return 120;
        }
    }

    /**
     * JDK 22+ gives a Console even when output is redirected and says through isTerminal() whether it is a
     * terminal; before that, a Console exists only when it is.
     */
    private static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
