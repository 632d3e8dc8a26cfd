package io.imagehub.cli;

/** The client commands' exit codes (docs/cli.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** The service answered with an error: {@code [Code] Message (RequestId ...)} on stderr. */
    public static final int API_ERROR = 1;
    /** The command line is wrong: the bad option and the right form on stderr. */
    public static final int USAGE = 2;
    /** The service could not be reached or did not answer as the API does. */
    public static final int TRANSPORT = 3;
    /** A waiter saw the resource fail (IMPORTFAILED, CREATEFAILED, LAUNCH_FAILED, gone). */
    public static final int WAIT_FAILED = 4;
    /** A waiter gave up at its timeout; the job goes on. */
    public static final int WAIT_TIMEOUT = 5;
    /** Downloaded or uploaded bytes do not match the image's digest. */
    public static final int VERIFY_FAILED = 6;
    /** backup/restore: the backup is incomplete, corrupt, or does not match its backup.json (or the node's store is damaged). */
    public static final int BACKUP_INVALID = 7;
    /** backup/restore: the target directory is not empty; nothing was written. */
    public static final int NOT_EMPTY = 8;
    /** Ctrl-C while waiting (128 + SIGINT); the job goes on. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
