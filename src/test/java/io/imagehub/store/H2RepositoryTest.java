package io.imagehub.store;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class H2RepositoryTest extends RepositoryContract {
    @TempDir
    Path dir;

    @Override
    protected Database openDatabase() {
        return new Database("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "", "", 4);
    }

    /** The instance store on the same database. */
    @Nested
    class Instances extends InstanceRepositoryContract {
        @Override
        protected Database openDatabase() throws Exception {
            return H2RepositoryTest.this.openDatabase();
        }
    }

    /** The signature v1 nonce ledger, two pools on one database file. */
    @Nested
    class Nonces extends NonceLedgerContract {
        @Override
        protected Database[] openTwoNodes() {
            return new Database[] {openDatabase(), openDatabase()};
        }
    }
}
