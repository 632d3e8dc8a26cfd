package io.imagehub.logging;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Helidon's logging hook, found through {@code META-INF/services}: without one it prints "There is no Helidon logging
 * implementation on classpath" to stdout. It does what Helidon's own {@code helidon-logging-slf4j} module does (bridge
 * java.util.logging to SLF4J); that module is not published where this build fetches its dependencies from.
 */
public final class HelidonSlf4jLogging implements LoggingProvider {
    @Override
    public void initialization() {
        Logging.bridgeJavaUtilLogging();
    }

    @Override
    public void runTime() {
        Logging.bridgeJavaUtilLogging();
    }
}
