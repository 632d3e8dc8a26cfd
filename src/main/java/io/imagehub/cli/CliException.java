package io.imagehub.cli;

/** Ends a client command with a message on stderr and one of the {@link ExitCodes}. */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
