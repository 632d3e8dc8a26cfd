package io.imagehub.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/** The console's static files: its stylesheet and script, and htmx from its WebJar. Read once, kept in memory. */
final class Assets {
    private static final String HTMX_POM = "META-INF/maven/org.webjars.npm/htmx.org/pom.properties";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> byName = Map.of(
            "console.css", new Asset("text/css; charset=utf-8", read("console/console.css")),
            "console.js", new Asset("text/javascript; charset=utf-8", read("console/console.js")),
            "htmx.min.js", new Asset("text/javascript; charset=utf-8",
                    read("META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js")));

    void serve(String name, ServerResponse res) {
        Asset asset = byName.get(name);
        if (asset == null) {
            res.status(Status.NOT_FOUND_404).send("not found");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(asset.bytes());
    }

    /** The WebJar's own version (its resources live under it), so the pom names the version once. */
    private static String htmxVersion() {
        Properties pom = new Properties();
        try (InputStream in = open(HTMX_POM)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing resource " + resource);
        }
        return in;
    }
}
