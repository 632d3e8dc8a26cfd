package io.imagehub.it;

import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What each official SDK that cannot be installed here puts on the wire for a TC3 call, from its source
 * (docs/clients.md has one row per SDK and the lines): the Host header and the host it signs, the service in the
 * credential scope, the content types, how it writes JSON and GET queries, and the headers it adds, in the order and
 * spelling its HTTP library sends them.
 */
public enum SdkWire {
    /** tencentcloud-sdk-python 3.1.x (also tccli): Host and signed host are the endpoint string verbatim. */
    PYTHON("cvm", UnaryOperator.identity(), Json.PYTHON, false) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("Host: " + call.hostHeader(),
                    "User-Agent: python-requests/2.32.3", "Accept-Encoding: gzip, deflate", "Accept: */*",
                    "Connection: keep-alive", "X-TC-TraceId: 3f1c9a52-3a55-4d1e-9c6b-0c2f54a1e0d7",
                    "Content-Type: " + call.contentType(), "X-TC-Action: " + call.action(),
                    "X-TC-RequestClient: SDK_PYTHON_3.1.162", "X-TC-Timestamp: " + call.timestamp(),
                    "X-TC-Version: 2017-03-12", "X-TC-Region: " + call.region()));
            if (call.language() != null) {
                h.add("X-TC-Language: " + call.language());
            }
            h.add("Authorization: " + call.authorization());
            if (call.body().length > 0) {
                h.add("Content-Length: " + call.body().length);
            }
            return h;
        }
    },
    /** tencentcloud-sdk-go 1.3.x (Terraform): net/http canonicalises names and sorts them; Language always sent. */
    GO("cvm", UnaryOperator.identity(), Json.COMPACT, true) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("Host: " + call.hostHeader(), "User-Agent: Go-http-client/1.1"));
            if (call.method().equals("POST")) {
                h.add("Content-Length: " + call.body().length);
            }
            h.addAll(List.of("Authorization: " + call.authorization(), "Content-Type: " + call.contentType(),
                    "X-Tc-Action: " + call.action(), "X-Tc-Language: " + (call.language() == null ? "" : call.language()),
                    "X-Tc-Region: " + call.region(), "X-Tc-Requestclient: SDK_GO_1.3.166",
                    "X-Tc-Timestamp: " + call.timestamp(), "X-Tc-Version: 2017-03-12", "Accept-Encoding: gzip"));
            return h;
        }
    },
    /** tencentcloud-sdk-php 3.0.x (Guzzle): service is the endpoint up to its first dot; json_encode escapes '/'. */
    PHP(null, UnaryOperator.identity(), Json.PHP, false) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("Host: " + call.hostHeader()));
            if (call.method().equals("POST")) {
                h.add("Content-Length: " + call.body().length);
            }
            h.addAll(List.of("User-Agent: GuzzleHttp/7", "Content-Type: " + call.contentType(),
                    "X-TC-Action: " + call.action(), "X-TC-RequestClient: SDK_PHP_3.0.1656",
                    "X-TC-Timestamp: " + call.timestamp(), "X-TC-Version: 2017-03-12", "X-TC-Region: " + call.region()));
            if (call.language() != null) {
                h.add("X-TC-Language: " + call.language());
            }
            h.add("Authorization: " + call.authorization());
            return h;
        }
    },
    /** tencentcloud-sdk-dotnet 3.0.x (HttpClient): service up to the first dot; Content-* headers come last. */
    DOTNET(null, UnaryOperator.identity(), Json.COMPACT, false) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("Host: " + call.hostHeader(), "X-TC-Action: " + call.action(),
                    "X-TC-Timestamp: " + call.timestamp(), "X-TC-Version: 2017-03-12", "X-TC-Region: " + call.region(),
                    "X-TC-RequestClient: SDK_NET_3.0.1493"));
            if (call.language() != null) {
                h.add("X-TC-Language: " + call.language());
            }
            h.addAll(List.of("Authorization: " + call.authorization(), "Content-Type: " + call.contentType()));
            if (call.method().equals("POST")) {
                h.add("Content-Length: " + call.body().length);
            }
            return h;
        }
    },
    /**
     * tencentcloud-sdk-cpp 3.x (libcurl): POST only, service up to the first dot, {@code Connection: Close} unless
     * keep-alive is set; curl adds {@code Expect: 100-continue} to large bodies.
     */
    CPP(null, UnaryOperator.identity(), Json.COMPACT, false) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("Host: " + call.hostHeader(), "Accept: */*",
                    "Authorization: " + call.authorization(), "Connection: Close", "Content-Type: " + call.contentType(),
                    "X-TC-Action: " + call.action(), "X-TC-Region: " + call.region(),
                    "X-TC-RequestClient: SDK_CPP_3.0.1200", "X-TC-Timestamp: " + call.timestamp(),
                    "X-TC-Version: 2017-03-12", "Content-Length: " + call.body().length));
            if (call.body().length > 1024 * 1024) {
                h.add("Expect: 100-continue");
            }
            return h;
        }
    },
    /** tencentcloud-sdk-nodejs 4.x: sends Host with the port, signs the host name without it. */
    NODE(null, SdkWire::withoutPort, Json.COMPACT, false) {
        @Override
        List<String> headers(Call call) {
            List<String> h = new ArrayList<>(List.of("X-TC-TraceId: 9b2e3a1c-0d3f-4c55-8e0a-5f7d6c4b3a21",
                    "Host: " + call.hostHeader(), "X-TC-Action: " + call.action(), "X-TC-Region: " + call.region(),
                    "X-TC-Timestamp: " + call.timestamp(), "X-TC-Version: 2017-03-12",
                    "X-TC-RequestClient: SDK_NODEJS_4.1.220"));
            if (call.language() != null) {
                h.add("X-TC-Language: " + call.language());
            }
            h.addAll(List.of("Content-Type: " + call.contentType(), "Authorization: " + call.authorization(),
                    "Accept: */*", "Content-Length: " + call.body().length, "User-Agent: node-fetch/1.0",
                    "Accept-Encoding: gzip,deflate", "Connection: close"));
            return h;
        }
    };

    /** How an SDK writes a request's members as JSON (members in the order given). */
    enum Json {
        /** Go encoding/json, PHP without slashes, Newtonsoft, rapidjson, JSON.stringify: no spaces. */
        COMPACT(",", ":", false),
        /** Python json.dumps defaults. */
        PYTHON(", ", ": ", false),
        /** PHP json_encode: compact, and '/' written as '\/'. */
        PHP(",", ":", true);

        private final String comma;
        private final String colon;
        private final boolean escapeSlash;

        Json(String comma, String colon, boolean escapeSlash) {
            this.comma = comma;
            this.colon = colon;
            this.escapeSlash = escapeSlash;
        }

        String write(Object value) {
            StringBuilder sb = new StringBuilder();
            write(value, sb);
            return sb.toString();
        }

        private void write(Object value, StringBuilder sb) {
            if (value instanceof Map<?, ?> map) {
                sb.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sb.append(sep);
                    write(e.getKey(), sb);
                    sb.append(colon);
                    write(e.getValue(), sb);
                    sep = comma;
                }
                sb.append('}');
            } else if (value instanceof List<?> list) {
                sb.append('[');
                String sep = "";
                for (Object o : list) {
                    sb.append(sep);
                    write(o, sb);
                    sep = comma;
                }
                sb.append(']');
            } else if (value instanceof String s) {
                String text = s.replace("\\", "\\\\").replace("\"", "\\\"");
                sb.append('"').append(escapeSlash ? text.replace("/", "\\/") : text).append('"');
            } else {
                sb.append(value);
            }
        }
    }

    /** One call: everything the SDK's signer and its HTTP library use. */
    public record Call(String method, String hostHeader, String action, String region, String language, long timestamp,
                       String contentType, String query, byte[] body, String authorization) {
    }

    private final String fixedService;
    private final UnaryOperator<String> signedHost;
    private final Json json;
    private final boolean sortsQuery;

    SdkWire(String fixedService, UnaryOperator<String> signedHost, Json json, boolean sortsQuery) {
        this.fixedService = fixedService;
        this.signedHost = signedHost;
        this.json = json;
        this.sortsQuery = sortsQuery;
    }

    abstract List<String> headers(Call call);

    /** The service in the credential scope: a constant, or the endpoint up to its first dot ({@code 127}). */
    public String service(String endpoint) {
        return fixedService != null ? fixedService : endpoint.split("\\.")[0];
    }

    /** The JSON body this SDK writes for {@code members} (a map in the request model's member order). */
    public String json(Map<String, Object> members) {
        return json.write(members);
    }

    /** The GET query this SDK writes for flattened {@code params} (in member order; Go sorts them). */
    public String query(Map<String, String> params) {
        Map<String, String> ordered = sortsQuery ? new TreeMap<>(params) : params;
        List<String> pairs = new ArrayList<>();
        ordered.forEach((k, v) -> pairs.add(k + "=" + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    /**
     * The request head this SDK sends for a POST of {@code body} (or a GET of {@code query} when it is not null),
     * signed with {@code secretKey}, as {@link WireClient#send} takes it.
     */
    public String head(String endpoint, TestServer.Account account, String secretKey, String action, String region,
                       String language, long timestamp, String query, byte[] body) {
        String method = query == null ? "POST" : "GET";
        String contentType = query == null ? "application/json" : "application/x-www-form-urlencoded";
        byte[] payload = query == null ? body : new byte[0];
        String authorization = Tc3Signer.authorization(account.secretId(), secretKey, service(endpoint), timestamp,
                method, query == null ? "" : query, List.of(new Header("content-type", contentType),
                        new Header("host", signedHost.apply(endpoint))), payload);
        Call call = new Call(method, endpoint, action, region, language, timestamp, contentType, query, payload,
                authorization);
        String target = query == null ? "/" : "/?" + query;
        return method + " " + target + " HTTP/1.1\r\n" + String.join("\r\n", headers(call)) + "\r\n";
    }

    private static String withoutPort(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }
}
