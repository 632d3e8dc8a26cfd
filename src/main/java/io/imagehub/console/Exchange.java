package io.imagehub.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.imagehub.console.ConsoleSessions.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One console request: its parameters (query, or form body for POST), its session if any, and its response. */
final class Exchange {
    /** Forms are small; an upload has its own path. */
    static final int MAX_FORM_BYTES = 64 * 1024;

    final ServerRequest req;
    final ServerResponse res;
    final Map<String, List<String>> params;
    Session session;

    Exchange(ServerRequest req, ServerResponse res, Map<String, List<String>> params) {
        this.req = req;
        this.res = res;
        this.params = params;
    }

    static Exchange of(ServerRequest req, ServerResponse res) {
        String query = req.prologue().query().rawValue();
        Map<String, List<String>> params = parse(query);
        if ("POST".equals(req.prologue().method().text())) {
            params.putAll(parse(readForm(req)));
        }
        return new Exchange(req, res, params);
    }

    /** The body as text, or "" if it is larger than a form can be (then nothing in it is used). */
    private static String readForm(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            return body.length > MAX_FORM_BYTES ? "" : new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code application/x-www-form-urlencoded} (a query string or a form body). */
    static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ""; // a malformed %-escape: the parameter is treated as empty
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The first value of a parameter, trimmed, or "" if absent. */
    String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0).trim();
    }

    List<String> params(String name) {
        return params.getOrDefault(name, List.of());
    }

    String cookie(String name) {
        for (String header : req.headers().all(HeaderNames.COOKIE, List::of)) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    boolean isPost() {
        return "POST".equals(req.prologue().method().text());
    }

    /** A request made by htmx for a part of a page (a progress poll). */
    boolean isFragment() {
        return req.headers().first(HeaderNames.create("HX-Request")).isPresent();
    }

    void redirect(String location) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }

    /** An answer to the page's own script (the upload's first step). */
    void json(String json) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.getBytes(StandardCharsets.UTF_8));
    }

    void html(Status status, String html) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
