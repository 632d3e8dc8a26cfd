package io.imagehub.logging;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log, one format: everything the process logs goes through SLF4J to Logback ({@code logback.xml}). Libraries
 * that log through java.util.logging or {@link System.Logger} (Helidon, the JDK) are bridged here; HikariCP, Flyway
 * and the AWS SDK log through SLF4J directly.
 */
public final class Logging {
    private Logging() {
    }

    /** Routes java.util.logging to SLF4J instead of its own two-line console format; idempotent. */
    public static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
