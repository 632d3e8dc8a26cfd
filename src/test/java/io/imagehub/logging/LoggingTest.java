package io.imagehub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logback's configuration reads without a warning in every format: Logback prints its status on stdout when
 * configuring meets one, and stdout is the CLI's machine-readable output.
 */
class LoggingTest {
    @AfterEach
    void backToText() {
        Logging.useFormat("text");
    }

    @Test
    void everyLogFormatConfiguresWithoutAWarning() {
        for (String format : List.of("json", "text")) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getStatusManager().clear();
            Logging.useFormat(format);
            List<String> warnings = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(status -> status.getLevel() >= Status.WARN).map(Status::getMessage).toList();
            assertThat(warnings).as("Logback's warnings configuring format " + format).isEmpty();
            assertThat(context.getLogger("ROOT").getAppender("console")).as(format).isNotNull();
        }
    }
}
