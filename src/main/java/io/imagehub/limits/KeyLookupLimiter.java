package io.imagehub.limits;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * The bound on unauthenticated floods (docs/adr/0015-request-limits.md): how many SecretIds this node may look up
 * in the database per second that it has not cached. A known key is answered from memory and never waits for this;
 * a flood of made-up SecretIds costs the database at most this many reads per second per node. Per node, not per
 * source address: behind a load balancer every client has the balancer's address.
 */
public final class KeyLookupLimiter implements BooleanSupplier {
    private final Bucket bucket;
    private final Counter throttled;

    /** {@code rate} 0 or less: no bound. */
    public KeyLookupLimiter(RequestLimiter.Rate rate, MeterRegistry meters) {
        this.bucket = rate.unlimited() ? null : rate.newBucket();
        this.throttled = ThrottledRequests.counter(meters, ThrottledRequests.KEY_LOOKUP);
    }

    /** True if one more look-up may go to the database now. */
    @Override
    public boolean getAsBoolean() {
        if (bucket == null || bucket.tryConsume(1)) {
            return true;
        }
        throttled.increment();
        return false;
    }
}
