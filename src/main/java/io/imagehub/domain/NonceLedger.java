package io.imagehub.domain;

import java.time.Instant;

/**
 * Remembers single-use values until they expire, for every node that shares the metadata store: signature v1's
 * {@code (SecretId, Nonce)} pairs, so that a captured request cannot be replayed within its timestamp window.
 */
public interface NonceLedger {
    /**
     * Records the first use of {@code nonce} by {@code secretId}, remembered until {@code expiresAt}; false if it
     * was already used and has not expired by {@code now}.
     */
    boolean firstUse(String secretId, String nonce, Instant expiresAt, Instant now);
}
