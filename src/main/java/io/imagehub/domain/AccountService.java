package io.imagehub.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Accounts and their keys: issuing credentials, and resolving a SecretId to its account and secret. */
public final class AccountService {
    /** A verified key: which account it acts for and the secret to check signatures with. */
    public record ResolvedKey(String accountId, String secretKey) {
        @Override
        public String toString() {
            return "ResolvedKey[accountId=" + accountId + ", secretKey=***]";
        }
    }

    private final Transactions transactions;
    private final SecretCipher cipher;
    private final Clock clock;
    // keys are immutable once issued; caching the decrypted secret keeps AES and the database off the hot path
    private final Map<String, ResolvedKey> keyCache = new ConcurrentHashMap<>();
    private final BooleanSupplier mayLookUpKey;

    /**
     * {@code mayLookUpKey} says whether a SecretId that is not cached may be looked up in the database now: the
     * bound on floods of made-up keys (docs/adr/0015-request-limits.md).
     */
    public AccountService(Transactions transactions, SecretCipher cipher, Clock clock, BooleanSupplier mayLookUpKey) {
        this.transactions = transactions;
        this.cipher = cipher;
        this.clock = clock;
        this.mayLookUpKey = mayLookUpKey;
    }

    /** Creates {@code name}, or {@code name-1..name-count} when count > 1, each with one key pair. */
    public List<Credentials> create(String name, int count) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,47}")) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE,
                    "An account name is 1-48 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        if (count < 1 || count > 10_000) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "Count must be between 1 and 10000.");
        }
        return transactions.run(uow -> {
            List<Credentials> issued = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String accountName = count == 1 ? name : name + "-" + i;
                if (uow.accounts().findByName(accountName).isPresent()) {
                    throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE,
                            "An account named `" + accountName + "` already exists.");
                }
                Account account = new Account(Ids.accountId(), accountName, clock.instant());
                uow.accounts().insert(account);
                String secretId = Ids.secretId();
                String secretKey = Ids.secretKey();
                uow.accounts().insertKey(secretId, account.accountId(), cipher.encrypt(secretId, secretKey));
                issued.add(new Credentials(account.accountId(), secretId, secretKey));
            }
            return issued;
        });
    }

    /** Up to {@code limit} accounts, oldest first (names and ids; keys stay where they are). */
    public List<Account> list(int limit) {
        return transactions.run(uow -> uow.accounts().list(limit));
    }

    public Optional<ResolvedKey> resolve(String secretId) {
        ResolvedKey cached = keyCache.get(secretId);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!mayLookUpKey.getAsBoolean()) {
            throw new ApiException(ErrorCodes.REQUEST_LIMIT_EXCEEDED, "The service is receiving too many requests "
                    + "signed with keys it has not seen recently; retry in a second.");
        }
        Optional<ResolvedKey> found = transactions.run(uow -> uow.accounts().findKey(secretId))
                .map(k -> new ResolvedKey(k.accountId(), cipher.decrypt(k.secretId(), k.secretKeyEncrypted())));
        found.ifPresent(k -> keyCache.put(secretId, k));
        return found;
    }
}
