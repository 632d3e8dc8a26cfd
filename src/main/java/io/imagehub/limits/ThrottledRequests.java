package io.imagehub.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code imagehub_requests_throttled_total{limit}}: calls refused with RequestLimitExceeded, by the limit that
 * refused them. The request metrics count the same calls by action (outcome {@code RequestLimitExceeded}).
 */
final class ThrottledRequests {
    /** An account's calls of one action per second ({@link RequestLimiter}). */
    static final String ACCOUNT_ACTION = "account_action";
    /** Look-ups of SecretIds the node has not cached ({@link KeyLookupLimiter}). */
    static final String KEY_LOOKUP = "key_lookup";

    private ThrottledRequests() {
    }

    static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder("imagehub.requests.throttled")
                .description("Requests refused with RequestLimitExceeded, by the limit that refused them")
                .tag("limit", limit).register(meters);
    }
}
