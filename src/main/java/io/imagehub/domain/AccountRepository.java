package io.imagehub.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Accounts and their API keys. Bound to one transaction. */
public interface AccountRepository {
    void insert(Account account);

    Optional<Account> find(String accountId);

    Optional<Account> findByName(String name);

    /** Up to {@code limit} accounts, oldest first. */
    List<Account> list(int limit);

    /** The subset of {@code accountIds} that exist. */
    Set<String> existing(Collection<String> accountIds);

    /** Locks the account row until the transaction ends: serialises quota checks of one account. */
    void lock(String accountId);

    void insertKey(String secretId, String accountId, String secretKeyEncrypted);

    /** The account id and encrypted secret of an enabled key. */
    Optional<StoredKey> findKey(String secretId);

    record StoredKey(String secretId, String accountId, String secretKeyEncrypted) {
    }
}
