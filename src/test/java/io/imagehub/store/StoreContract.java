package io.imagehub.store;

import io.imagehub.domain.Account;
import io.imagehub.domain.Ids;
import io.imagehub.domain.Transactions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture every store contract starts from: a fresh, migrated database (H2 or PostgreSQL, from the subclass)
 * with one account in it, closed after the test.
 */
abstract class StoreContract {
    static final String REGION = "ap-guangzhou";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A fresh, migrated database for one test. */
    protected abstract Database openDatabase() throws Exception;

    Database database;
    Transactions tx;
    String owner;

    @BeforeEach
    void openWithAnOwner() throws Exception {
        database = openDatabase();
        tx = new JdbcTransactions(database);
        owner = newAccount("owner");
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    String newAccount(String namePrefix) {
        String accountId = Ids.accountId();
        tx.run(uow -> {
            uow.accounts().insert(new Account(accountId, namePrefix + "-" + accountId, T0));
            return null;
        });
        return accountId;
    }
}
