package io.imagehub.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log, one format: everything the process logs goes through SLF4J to Logback ({@code logback.xml}). Libraries
 * that log through java.util.logging or {@link System.Logger} (Helidon, the JDK) are bridged here; HikariCP, Flyway
 * and the AWS SDK log through SLF4J directly.
 */
public final class Logging {
    private Logging() {
    }

    /**
     * Logs from now on with the appender {@code format} of {@code logback.xml} ({@code text} or {@code json}): the
     * configuration is read again with IMAGEHUB_LOG_FORMAT set to it.
     */
    public static synchronized void useFormat(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown log format `" + format + "`: use text or json");
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("IMAGEHUB_LOG_FORMAT", format);
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("logback.xml cannot be read again", e);
        }
    }

    /** Routes java.util.logging to SLF4J instead of its own two-line console format; idempotent. */
    public static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
