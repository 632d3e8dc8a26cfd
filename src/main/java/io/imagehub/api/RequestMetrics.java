package io.imagehub.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code imagehub_requests_seconds}: every API request by action and outcome (Success or the error code), as a
 * latency histogram. An action that is not registered counts as {@code unknown}, so a client cannot invent labels;
 * outcomes are the bounded set of codes the node answers.
 */
final class RequestMetrics {
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final ActionRegistry actions;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, ActionRegistry actions) {
        this.registry = registry;
        this.actions = actions;
    }

    void record(String action, String outcome, long nanos) {
        String name = action != null && actions.find(action) != null ? action : UNKNOWN;
        timers.computeIfAbsent(name + ' ' + outcome, key -> Timer.builder("imagehub.requests")
                        .description("API requests by action and outcome")
                        .tag("action", name).tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
