package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.logging.Logging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code serve --log-format json}: every line one JSON object, a request's line with its RequestId. */
class JsonLogTest {
    @Test
    void requestLinesAreJsonWithTheirRequestId() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String requestId;
        try (TestServer server = new TestServer()) {
            TestServer.Account alice = server.createAccount("alice");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Logging.useFormat("json"); // the console appender takes System.err as it starts
            try {
                requestId = new RawClient(server, alice).call("DescribeImages", "ap-guangzhou", "null")
                        .path("RequestId").asText();
            } finally {
                System.setErr(stderr);
                Logging.useFormat("text");
            }
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(new ObjectMapper().readTree(line)); // throws if a line is not JSON
            }
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("loggerName").asText()).isEqualTo("imagehub.request");
            assertThat(line.path("mdc").path("requestId").asText()).isEqualTo(requestId);
            assertThat(line.path("formattedMessage").asText()).contains("outcome=InvalidParameter");
        });
    }
}
