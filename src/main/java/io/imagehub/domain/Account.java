package io.imagehub.domain;

import java.time.Instant;

/** A root account: the unit that owns images and receives shares. AccountId is a decimal string. */
public record Account(String accountId, String name, Instant createdAt) {
}
