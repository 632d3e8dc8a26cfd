package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a request byte for byte as given (request line, headers in their order and spelling, body) over a plain or
 * TLS socket, for golden requests: what an SDK that cannot run here would put on the wire, including header values
 * {@link java.net.http.HttpClient} refuses to send (a {@code Host} of the caller's choosing).
 */
public final class WireClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String host;
    private final int port;
    private final SSLSocketFactory tls;

    /** A plain-HTTP client of 127.0.0.1:{@code port}. */
    public WireClient(int port) {
        this(port, null);
    }

    /** A client of 127.0.0.1:{@code port} over TLS with {@code tls}'s trust, or plain HTTP if it is null. */
    public WireClient(int port, SSLSocketFactory tls) {
        this.host = "127.0.0.1";
        this.port = port;
        this.tls = tls;
    }

    /** The answer: status code, headers (names lower-cased) and body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public JsonNode response() {
            try {
                return JSON.readTree(body).get("Response");
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        public String errorCode() {
            return RawClient.errorCode(response());
        }
    }

    /**
     * Sends {@code head} (request line and header lines, each ending in CRLF, without the blank line) and
     * {@code body}. If the head asks for {@code Expect: 100-continue}, the body follows only after the server's
     * interim {@code 100 Continue}, as curl does.
     */
    public Answer send(String head, byte[] body) throws IOException {
        try (Socket socket = tls == null ? new Socket(host, port) : tls.createSocket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue\r\n")) {
                Answer interim = readAnswer(in, false);
                if (interim.status() != 100) {
                    return interim;
                }
            }
            out.write(body);
            out.flush();
            return readAnswer(in, true);
        }
    }

    private static Answer readAnswer(InputStream in, boolean withBody) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (!withBody || status == 100) {
            return new Answer(status, headers, new byte[0]);
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Answer(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of the answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
