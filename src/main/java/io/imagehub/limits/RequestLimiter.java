package io.imagehub.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per second per account and action, on this node (docs/adr/0015-request-limits.md): one Bucket4j token
 * bucket per (account, action), holding one second's worth of calls and refilled continuously. Called only for
 * authenticated requests to registered actions, so the keys are real accounts and actions, never a client's
 * invention; buckets that have filled up again are dropped (a full bucket is the same as a new one).
 */
public final class RequestLimiter {
    /** How many buckets may exist before full ones are swept out, and how often a sweep may run. */
    private static final int SWEEP_ABOVE = 10_000;
    private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final Rate defaultRate;
    private final Map<String, Rate> actionRates;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final Counter throttled;
    private volatile long lastSweep = System.nanoTime();

    private record Key(String accountId, String action) {
    }

    /**
     * A rate of {@code perSecond} requests (fractions allowed: 0.1 is one call every 10 s); 0 or less means no
     * limit. The bucket holds {@code max(1, perSecond)} calls, so a client may spend a second's worth at once.
     */
    public record Rate(double perSecond) {
        boolean unlimited() {
            return perSecond <= 0;
        }

        long capacity() {
            return Math.max(1, (long) Math.ceil(perSecond));
        }

        Bucket newBucket() {
            long capacity = capacity();
            Duration refill = Duration.ofNanos((long) (capacity / perSecond * 1e9));
            return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refill)).build();
        }

        @Override
        public String toString() {
            return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
        }
    }

    /** What a refused call may be told: the rate it exceeded and when the next call would pass. */
    public record Refusal(Rate rate, Duration retryAfter) {
    }

    public RequestLimiter(Rate defaultRate, Map<String, Rate> actionRates, MeterRegistry meters) {
        this.defaultRate = defaultRate;
        this.actionRates = Map.copyOf(actionRates);
        this.throttled = ThrottledRequests.counter(meters, ThrottledRequests.ACCOUNT_ACTION);
    }

    /** Takes one call from the account's budget for the action: null if it may go ahead, else why not. */
    public Refusal acquire(String accountId, String action) {
        Rate rate = actionRates.getOrDefault(action, defaultRate);
        if (rate.unlimited()) {
            return null;
        }
        Key key = new Key(accountId, action);
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            sweepIfLarge();
            bucket = buckets.computeIfAbsent(key, k -> rate.newBucket());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        throttled.increment();
        return new Refusal(rate, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /**
     * Drops the buckets that are full again. A call racing with the sweep may spend a token of a bucket just dropped
     * and so get one extra call: far less than a bucket's worth, and only once the map is large.
     */
    private void sweepIfLarge() {
        long now = System.nanoTime();
        if (buckets.size() < SWEEP_ABOVE || now - lastSweep < SWEEP_EVERY_NANOS) {
            return;
        }
        lastSweep = now;
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens()
                >= actionRates.getOrDefault(e.getKey().action(), defaultRate).capacity());
    }
}
