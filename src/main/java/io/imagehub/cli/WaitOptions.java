package io.imagehub.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a waiter polls. */
final class WaitOptions {
    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between polls (default 2).")
    double interval = 2;

    @Option(names = "--max-wait", paramLabel = "SECONDS", description = "Give up after this many seconds (default 3600).")
    long maxWait = 3600;

    Duration interval() {
        if (interval <= 0) {
            throw CliException.usage("--interval must be positive");
        }
        return Duration.ofMillis((long) (interval * 1000));
    }

    Duration maxWait() {
        return Duration.ofSeconds(maxWait);
    }
}
