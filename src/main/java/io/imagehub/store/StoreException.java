package io.imagehub.store;

import java.sql.SQLException;

/** The metadata store failed; answered as InternalError, logged with its cause. */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** True when the database refused a write because a unique key already holds the value. */
    public boolean isUniqueViolation() {
        String state = ((SQLException) getCause()).getSQLState();
        return "23505".equals(state);
    }
}
