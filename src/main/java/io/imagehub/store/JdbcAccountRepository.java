package io.imagehub.store;

import io.imagehub.domain.Account;
import io.imagehub.domain.AccountRepository;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcAccountRepository implements AccountRepository {
    private final Sql sql;

    JdbcAccountRepository(Connection connection) {
        this.sql = new Sql(connection);
    }

    @Override
    public void insert(Account a) {
        sql.update("INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?)", a.accountId(), a.name(), a.createdAt());
    }

    @Override
    public Optional<Account> find(String accountId) {
        return sql.queryOne("SELECT account_id, name, created_at FROM accounts WHERE account_id = ?",
                rs -> new Account(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")), accountId);
    }

    @Override
    public Optional<Account> findByName(String name) {
        return sql.queryOne("SELECT account_id, name, created_at FROM accounts WHERE name = ?",
                rs -> new Account(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")), name);
    }

    @Override
    public List<Account> list(int limit) {
        return sql.query("SELECT account_id, name, created_at FROM accounts ORDER BY created_at, account_id LIMIT ?",
                rs -> new Account(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")), limit);
    }

    @Override
    public Set<String> existing(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(sql.query("SELECT account_id FROM accounts WHERE account_id IN ("
                + Sql.placeholders(accountIds.size()) + ")", rs -> rs.getString(1), accountIds.toArray()));
    }

    @Override
    public void lock(String accountId) {
        sql.query("SELECT account_id FROM accounts WHERE account_id = ? FOR UPDATE", rs -> rs.getString(1), accountId);
    }

    @Override
    public void insertKey(String secretId, String accountId, String secretKeyEncrypted) {
        sql.update("INSERT INTO api_keys (secret_id, account_id, secret_key_enc, enabled, created_at) VALUES (?, ?, ?, TRUE, ?)",
                secretId, accountId, secretKeyEncrypted, Instant.now());
    }

    @Override
    public Optional<StoredKey> findKey(String secretId) {
        return sql.queryOne("SELECT secret_id, account_id, secret_key_enc FROM api_keys WHERE secret_id = ? AND enabled",
                rs -> new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3)), secretId);
    }
}
