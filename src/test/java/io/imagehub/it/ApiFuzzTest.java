package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.api.ActionDescription;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ActionDescription.Type;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import io.imagehub.domain.ErrorCodes;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of every registered action, generated from its description in the registry (cases per property: {@code jqwik.tries.default}, 1,000 in
 * verify and 20,000 under {@code -Psoak}; five properties). Whatever arrives, the answer is HTTP 200 with a Tencent
 * envelope whose code is a documented one (or a success), never InternalError or a stack trace, and a refused call
 * leaves every table and every chunk store as it was. Job workers are off, so only calls change the state.
 */
class ApiFuzzTest {
    private static final String GZ = "ap-guangzhou";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;
    private static final Set<String> DOCUMENTED = documentedCodes();
    private static final String HUGE_STRING = "\"" + "z".repeat(70_000) + "\"";
    private static final String TOO_LARGE_STRING = "\"" + "w".repeat(MAX_BODY) + "\"";
    private static final String NESTED_ARRAYS = "[".repeat(600) + "]".repeat(600);
    private static final String NESTED_OBJECTS = "{\"A\":".repeat(600) + "1" + "}".repeat(600);
    private static final String DEEP_ARRAY = "[".repeat(5000);
    private static final String DEEP_OBJECTS_IN_ARRAY = "[{\"A\":".repeat(3000);
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static List<ActionDescription> actions;
    private static List<String> realisticStrings;
    private static String diskUrl;
    private static StateFingerprint state;
    /** The message of the last refusal, for the properties' failure descriptions. */
    private static String lastMessage;

    /** One request as sent: what the property varies. */
    record Call(String action, String method, String query, byte[] body, Map<String, String> headers) {
        @Override
        public String toString() {
            String shown = new String(body, StandardCharsets.UTF_8);
            return method + " " + action + " ?" + abbreviate(query) + " headers=" + headers.keySet() + " body="
                    + abbreviate(shown);
        }

        private static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.jobWorkers = 0;
            c.gcIntervalSeconds = 86_400;
            c.maxRequestBytes = MAX_BODY;
        });
        alice = server.createAccount("alice");
        TestServer.Account bob = server.createAccount("bob");
        actions = server.node().actions().descriptions();
        CvmClient aliceGz = server.client(alice, GZ);
        String publicImage = Images.firstPublic(aliceGz);
        diskUrl = files.put("disk.raw", new byte[4096]);
        realisticStrings = List.of(publicImage, "img-00000000", "img-", "ins-12345678", "ins-", alice.accountId(),
                bob.accountId(), GZ, "ap-shanghai", "mars-north-1", "SHARE", "CANCEL", "PUBLIC_IMAGE", "PRIVATE_IMAGE",
                "SHARED_IMAGE", "image-id", "image-type", "image-name", "instance-id", "zone", "instance-type",
                "x86_64", "arm", "CentOS", "7", "Ubuntu", diskUrl, files.baseUrl() + "missing.raw",
                "http://169.254.169.254/latest", "file:///etc/passwd", "S3.SMALL1", "ap-guangzhou-3", "CLOUD_PREMIUM",
                "RAW", "QCOW2", "POSTPAID_BY_HOUR", "PREPAID", "SOFT", "HARD", "Passw0rd!x", "instance",
                "imagehub-exports", "TencentCloud", "BYOL", "UEFI", "name", "");
        state = StateFingerprint.of(server.node());
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        files.close();
    }

    @Property
    void mutatedBodiesAreRefusedWithADocumentedCodeOrServed(@ForAll("mutatedBodies") Call call) {
        check(call);
    }

    @Property
    void bodiesThatAreNotAJsonObjectAreRefused(@ForAll("brokenBodies") Call call) {
        String code = check(call);
        if (call.body().length > 0 && call.body()[0] == '{') {
            // a broken object may show an unknown member before it breaks
            assertThat(code).as("refusal code").isIn(ErrorCodes.INVALID_PARAMETER, ErrorCodes.UNKNOWN_PARAMETER);
        } else {
            assertThat(code).as("refusal code: %s", lastMessage).isEqualTo(ErrorCodes.INVALID_PARAMETER);
        }
    }

    @Property
    void flattenedParametersOfGetAreRefusedOrServed(@ForAll("getQueries") Call call) {
        check(call);
    }

    @Property
    void wrongAndMissingHeadersAreRefusedOrServed(@ForAll("wrongHeaders") Call call) {
        check(call);
    }

    @Property
    void wrongSignaturesAndClocksAreRefused(@ForAll("wrongSignatures") Call call) {
        assertThat(check(call)).as("refusal of %s: %s", call, lastMessage).startsWith("AuthFailure");
    }

    /** Sends the call and checks the answer and the state; returns the error code, or null for a success. */
    private static String check(Call call) {
        Answer response = send(call);
        if (MALFORMED_ESCAPE.matcher(call.query()).find()) {
            // not a URI (RFC 3986 2.1): the HTTP server refuses the request line before the API sees it
            assertThat(response.status()).as("HTTP status of %s", call).isEqualTo(400);
            return "HTTP 400";
        }
        assertThat(response.status()).as("HTTP status of %s (%s)", call, response.body()).isEqualTo(200);
        JsonNode envelope;
        try {
            envelope = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body() + " for " + call, e);
        }
        JsonNode answer = envelope.path("Response");
        String requestId = answer.path("RequestId").asText("");
        assertThat(requestId).as("RequestId of %s", call).isNotEmpty();
        assertThat(response.headers().get("x-tc-requestid")).isEqualTo(requestId);
        StateFingerprint before = state;
        StateFingerprint after = StateFingerprint.of(server.node());
        state = after;
        String code = answer.path("Error").path("Code").asText(null);
        if (code != null) {
            String message = answer.path("Error").path("Message").asText("");
            lastMessage = message;
            assertThat(code).as("code of %s (%s)", call, message).isIn(DOCUMENTED).isNotEqualTo(ErrorCodes.INTERNAL_ERROR);
            assertThat(message).as("message of %s", call).doesNotContain("Exception", "\tat ", "java.");
            assertThat(after.changedSince(before, requestId, code)).as("what the refused %s changed", call).isEmpty();
        }
        return code;
    }

    /** An HTTP answer as the socket carried it. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    /**
     * Sends over a plain socket (HTTP/1.1, one request per connection): the JDK client refuses what a hostile client
     * sends, such as a query with a malformed escape.
     */
    private static Answer send(Call call) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            StringBuilder head = new StringBuilder(call.method()).append(" /")
                    .append(call.query().isEmpty() ? "" : "?" + call.query()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(server.endpoint()).append("\r\nConnection: close\r\n")
                    .append("Content-Length: ").append(call.body().length).append("\r\n");
            call.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            request.write(call.body());
            // written while the answer is read: a node may answer (and close) before it has read a too large body
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(request.toByteArray());
                } catch (IOException e) {
                    // the node stopped reading; its answer tells why
                }
            });
            Answer answer = read(new BufferedInputStream(socket.getInputStream()));
            writer.join();
            return answer;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("no answer to " + call, e);
        }
    }

    /** Reads one answer: status line, headers, then a body of Content-Length bytes (or chunked). */
    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            body = chunks.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-answer after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    // ---- what the properties generate

    @Provide
    Arbitrary<Call> mutatedBodies() {
        return Arbitraries.of(actions).flatMap(action -> body(action.members(), 0)
                .map(body -> signed(action.name(), GZ, "POST", "", body.getBytes(StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<Call> brokenBodies() {
        Arbitrary<String> broken = Arbitraries.oneOf(
                Arbitraries.of("null", "[]", "\"x\"", "1", "-1.5e300", "true", "[{}]", "{", "}", "{\"ImageIds\":",
                        "{\"ImageIds\":[\"img-1\",]}", "{,}", "{} {}", "{}x", "{'ImageId':'x'}", "nul",
                        "{\"a\":1}\u0000", "\u0000", " ", DEEP_ARRAY, DEEP_OBJECTS_IN_ARRAY),
                Arbitraries.strings().ofMaxLength(40).filter(s -> !s.isBlank() && !s.trim().startsWith("{")),
                Arbitraries.integers().between(2, 20_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)));
        Arbitrary<byte[]> invalidUtf8 = Arbitraries.of(new byte[] {'"', (byte) 0xC3, '"'},
                new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}, new byte[] {'[', '"', (byte) 0xED, (byte) 0xA0,
                        (byte) 0x80, '"', ']'});
        return Arbitraries.of(actions).flatMap(action -> Arbitraries.oneOf(
                broken.map(b -> b.getBytes(StandardCharsets.UTF_8)), invalidUtf8)
                .map(bytes -> signed(action.name(), GZ, "POST", "", bytes)));
    }

    @Provide
    Arbitrary<Call> getQueries() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of(actions).flatMap(a -> flattenedNames(a.members())),
                Arbitraries.of("", ".", "a..b", "ImageIds.", ".0", "ImageIds.x", "ImageIds.-1",
                        "ImageIds.99999999999999999999", "Filters.0", "Filters.0.Values.0.x", "%zz", "%", "Limit.0"));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of(realisticStrings),
                Arbitraries.of("-1", "0", "100", "1e9", "abc", "true", "%", "%zz", "%E2%82", "a=b", "%00"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> pair = Combinators.combine(names, values, Arbitraries.integers().between(0, 3))
                .as((name, value, form) -> switch (form) {
                    case 0 -> encode(name).replace("%25", "%") + "=" + encode(value).replace("%25", "%"); // raw escapes
                    case 1 -> name;
                    default -> encode(name) + "=" + encode(value);
                });
        return Arbitraries.of(actions).flatMap(action -> pair.list().ofMaxSize(6)
                .map(pairs -> signed(action.name(), GZ, "GET", String.join("&", pairs), new byte[0])));
    }

    @Provide
    Arbitrary<Call> wrongHeaders() {
        List<String> names = List.of("Authorization", "X-TC-Action", "X-TC-Version", "X-TC-Timestamp",
                "X-TC-Region", "Content-Type");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("", " ", "2017-03-11", "2017-03-12 ", "GET",
                        "describeimages", "DescribeImages ", "text/plain", "multipart/form-data", "0", "-1",
                        "99999999999999", "ap-guangzhou ", "AP-GUANGZHOU", "x".repeat(8000)),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30));
        Arbitrary<Map<String, String>> faults = Combinators.combine(Arbitraries.of(names), values,
                Arbitraries.of(true, false)).as((name, value, remove) -> {
                    Map<String, String> fault = new LinkedHashMap<>();
                    fault.put(name, remove ? null : value);
                    return fault;
                });
        return Combinators.combine(Arbitraries.of(actions), faults).as((action, fault) -> {
            Call valid = signed(action.name(), GZ, "POST", "", "{}".getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>(valid.headers());
            fault.forEach((name, value) -> {
                if (value == null) {
                    headers.remove(name);
                } else {
                    headers.put(name, value);
                }
            });
            return new Call(action.name(), "POST", "", valid.body(), headers);
        });
    }

    @Provide
    Arbitrary<Call> wrongSignatures() {
        Arbitrary<Long> skews = Arbitraries.oneOf(Arbitraries.longs().between(310, 10_000_000_000L),
                Arbitraries.longs().between(-1_000_000_000L, -310));
        Arbitrary<String> faults = Arbitraries.of("key", "signature", "date", "headers", "algorithm",
                "truncated", "stale", "secretId");
        return Combinators.combine(Arbitraries.of(actions), faults, skews,
                Arbitraries.integers().between(0, 63)).as((action, fault, skew, at) -> {
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    long now = System.currentTimeMillis() / 1000;
                    long timestamp = fault.equals("stale") ? now + skew : now;
                    String key = fault.equals("key") ? alice.secretKey() + "x" : alice.secretKey();
                    List<Header> signedHeaders = fault.equals("headers")
                            ? List.of(new Header("host", server.endpoint()))
                            : signedHeaders();
                    long signedAt = fault.equals("date") ? timestamp - 86_400 : timestamp;
                    String authorization = Tc3Signer.authorization(alice.secretId(), key, "127", signedAt, "POST",
                            "", signedHeaders, body);
                    authorization = switch (fault) {
                        case "signature" -> flipHex(authorization, at);
                        case "algorithm" -> authorization.replace(Tc3Signer.ALGORITHM, "TC3-HMAC-SHA1");
                        case "truncated" -> authorization.substring(0, authorization.length() - 1 - at);
                        case "secretId" -> authorization.replace(alice.secretId(), alice.secretId().toUpperCase()
                                .equals(alice.secretId()) ? alice.secretId().toLowerCase()
                                : alice.secretId().toUpperCase());
                        default -> authorization;
                    };
                    Map<String, String> headers = headers(action.name(), GZ, timestamp);
                    headers.put("Authorization", authorization);
                    return new Call(action.name(), "POST", "", body, headers);
                });
    }

    // ---- bodies from the request shapes

    /** A JSON object of {@code members}: each omitted, plausible or wrong; sometimes unknown or repeated ones. */
    private Arbitrary<String> body(List<Member> members, int depth) {
        List<Arbitrary<String>> entries = new ArrayList<>();
        for (Member member : members) {
            String key = quote(member.name()) + ":";
            entries.add(Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.just("")),
                    Tuple.of(5, plausible(member.type(), member.allowed(), depth).map(key::concat)),
                    Tuple.of(2, wrong().map(key::concat))));
        }
        entries.add(Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("\"Unknown\":1", "\"imageIds\":[]", "\"\":null",
                        "\"ImageId\":\"a\",\"ImageId\":\"b\"", "\"Limit\":1,\"Limit\":1"))));
        return Combinators.combine(entries).as(parts -> parts.stream().filter(p -> !p.isEmpty())
                .collect(Collectors.joining(",", "{", "}")));
    }

    /** A value of the member's type, often one that means something here (an id, a region, an allowed value). */
    private Arbitrary<String> plausible(Type type, List<String> allowed, int depth) {
        return switch (type.kind()) {
            case STRING -> allowed.isEmpty() ? strings()
                    : Arbitraries.oneOf(strings(), Arbitraries.of(allowed).map(ApiFuzzTest::quote));
            case INTEGER, FLOAT -> numbers();
            case BOOLEAN -> Arbitraries.of("true", "false");
            case LIST -> {
                Arbitrary<String> one = plausible(type.element(), List.of(), depth + 1);
                yield Arbitraries.frequencyOf(
                        Tuple.of(6, one.list().ofMaxSize(4).map(ApiFuzzTest::array)),
                        Tuple.of(2, Combinators.combine(one, Arbitraries.integers().between(2, 3))
                                .as((e, n) -> array(Collections.nCopies(n, e)))),
                        Tuple.of(1, one.filter(e -> e.length() <= 64).map(e -> array(Collections.nCopies(10_000, e)))));
            }
            case OBJECT -> depth < 3 ? body(type.members(), depth + 1) : wrong();
            case MAP -> Arbitraries.of("{}", "{\"Format\":\"RAW\",\"ImageUrl\":\"" + diskUrl + "\"}",
                    "{\"DiskSize\":-1}", "{\"a\":{\"b\":[1,2,{}]}}");
        };
    }

    private Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(realisticStrings).map(ApiFuzzTest::quote)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(80).map(ApiFuzzTest::quote)),
                Tuple.of(1, Arbitraries.of("\"\\u0000\"", "\"\\ud800\"", "\"a\\nb\"", "\"\u202e\"",
                        "\"é\u0301\"", "\"\uD83D\uDE00\"", "\"" + "x".repeat(61) + "\"", "\"" + "y".repeat(257) + "\"",
                        HUGE_STRING, TOO_LARGE_STRING,
                        "\"img-" + "0".repeat(8) + "\\u0000\"", "\"" + "ä".repeat(100) + "\"")));
    }

    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-5, 200).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                        "123456789012345678901234567890", "1.5", "1e3", "-0", "1E400", "0.0000001"));
    }

    /** Something of the wrong kind for any member. */
    private static Arbitrary<String> wrong() {
        return Arbitraries.of("null", "\"1\"", "1", "true", "{}", "[]", "[null]", "[1]", "[\"a\",1]", "[[]]", "{\"x\":1}",
                "\"\"", "1.0e2", NESTED_ARRAYS, NESTED_OBJECTS, "[{}]");
    }

    /** Names of flattened parameters: {@code ImageIds.0}, {@code Filters.1.Values.0}, ... */
    private static Arbitrary<String> flattenedNames(List<Member> members) {
        List<String> names = new ArrayList<>();
        for (Member member : members) {
            flatten(member.name(), member.type(), names, 0);
        }
        return names.isEmpty() ? Arbitraries.just("Unknown") : Arbitraries.of(names);
    }

    private static void flatten(String prefix, Type type, List<String> names, int depth) {
        names.add(prefix);
        if (depth > 2) {
            return;
        }
        if (type.kind() == ActionDescription.Kind.LIST) {
            flatten(prefix + ".0", type.element(), names, depth + 1);
            flatten(prefix + ".1", type.element(), names, depth + 1);
        } else if (type.kind() == ActionDescription.Kind.OBJECT) {
            for (Member member : type.members()) {
                flatten(prefix + "." + member.name(), member.type(), names, depth + 1);
            }
        }
    }

    // ---- signing

    private static Call signed(String action, String region, String method, String query, byte[] body) {
        long timestamp = System.currentTimeMillis() / 1000;
        Map<String, String> headers = headers(action, region, timestamp);
        headers.put("Authorization", Tc3Signer.authorization(alice.secretId(), alice.secretKey(), "127", timestamp,
                method, query, signedHeaders(), body));
        return new Call(action, method, query, body, headers);
    }

    private static List<Header> signedHeaders() {
        return List.of(new Header("content-type", "application/json; charset=utf-8"),
                new Header("host", server.endpoint()));
    }

    private static Map<String, String> headers(String action, String region, long timestamp) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-TC-Action", action);
        headers.put("X-TC-Version", "2017-03-12");
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        headers.put("X-TC-Region", region);
        return headers;
    }

    private static String flipHex(String authorization, int at) {
        int start = authorization.indexOf("Signature=") + "Signature=".length();
        char[] chars = authorization.toCharArray();
        int i = start + at % (chars.length - start);
        chars[i] = chars[i] == '0' ? '1' : '0';
        return new String(chars);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String array(List<String> elements) {
        return String.join(",", elements).transform(s -> "[" + s + "]");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The codes of {@link ErrorCodes}: what the spec documents and imagehub may answer. */
    private static Set<String> documentedCodes() {
        return Arrays.stream(ErrorCodes.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(Collectors.toUnmodifiableSet());
    }
}
