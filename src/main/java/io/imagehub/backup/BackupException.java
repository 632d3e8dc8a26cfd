package io.imagehub.backup;

/** Why a backup or a restore did not happen; the CLI turns the kind into its exit code, the admin surface into a status. */
public final class BackupException extends Exception {
    public enum Kind {
        /** The target directory holds something already: nothing was written. */
        TARGET_NOT_EMPTY,
        /** The request cannot be carried out as asked (a relative path, a PostgreSQL node, no master key, ...). */
        REFUSED,
        /** Another backup of this node is under way. */
        BUSY,
        /** The backup to restore is incomplete, corrupt or does not match its backup.json. */
        INVALID_BACKUP,
        /** The node's own chunk store lacks a chunk its database needs: the backup would not restore. */
        DAMAGED
    }

    private final Kind kind;

    public BackupException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
