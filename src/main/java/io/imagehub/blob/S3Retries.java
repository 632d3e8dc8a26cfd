package io.imagehub.blob;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * How an S3 chunk store retries a failed call (HTTP 5xx, throttling, a reset or timed-out connection): up to
 * {@code maxAttempts} attempts in all, waiting a random time up to {@code baseDelayMillis} x 2^(attempt-1) (at most
 * {@code maxDelayMillis}) between them, each attempt bounded by {@code attemptTimeoutSeconds}. The SDK's standard
 * strategy decides what is retriable; its circuit breaker is off, so that every call gets all its attempts however
 * many others failed before (an import's outcome must not depend on what else the node was doing). Any member left
 * out (null) takes its default. Configured per store ({@code "retry": {...}}, docs/operations.md).
 */
public record S3Retries(Integer maxAttempts, Long baseDelayMillis, Long maxDelayMillis, Long attemptTimeoutSeconds) {
    public static final S3Retries DEFAULT = new S3Retries(null, null, null, null);

    public S3Retries {
        maxAttempts = maxAttempts != null ? maxAttempts : 5;
        baseDelayMillis = baseDelayMillis != null ? baseDelayMillis : 100L;
        maxDelayMillis = maxDelayMillis != null ? maxDelayMillis : 5000L;
        attemptTimeoutSeconds = attemptTimeoutSeconds != null ? attemptTimeoutSeconds : 60L;
        if (maxAttempts < 1 || baseDelayMillis < 1 || maxDelayMillis < baseDelayMillis || attemptTimeoutSeconds < 1) {
            throw new IllegalArgumentException("an S3 store's retry needs maxAttempts >= 1, baseDelayMillis >= 1, "
                    + "maxDelayMillis >= baseDelayMillis and attemptTimeoutSeconds >= 1");
        }
    }

    RetryStrategy strategy() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(Duration.ofMillis(baseDelayMillis),
                Duration.ofMillis(maxDelayMillis));
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .circuitBreakerEnabled(false)
                .build();
    }

    void applyTo(ClientOverrideConfiguration.Builder client) {
        client.retryStrategy(strategy()).apiCallAttemptTimeout(Duration.ofSeconds(attemptTimeoutSeconds));
    }
}
