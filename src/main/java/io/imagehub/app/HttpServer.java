package io.imagehub.app;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP edge (Helidon SE, one virtual thread per request): {@code /} is the Tencent API, {@code /healthz} and
 * {@code /readyz} and {@code /metrics} are for operators, {@code /admin/...} is the admin surface, {@code /console/...}
 * the web console, {@code /imagehub/uploads|downloads/...} carry image bytes behind signed URLs ({@link TransferRoutes}).
 */
public final class HttpServer implements AutoCloseable {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-TC-RequestId");

    private final WebServer server;
    private final int maxRequestBytes;

    /** {@code tls} null: plain HTTP; {@code shutdownGrace}: how long requests in flight may take once it stops. */
    public HttpServer(String host, int port, Tls tls, int maxRequestBytes, ApiGateway gateway, AdminApi admin,
                      HttpService console, TransferRoutes transfers, BooleanSupplier ready, Supplier<String> metrics,
                      Duration shutdownGrace) {
        this.maxRequestBytes = maxRequestBytes;
        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/healthz", (req, res) -> res.send("ok"))
                .get("/readyz", (req, res) -> {
                    if (ready.getAsBoolean()) {
                        res.send("ready");
                    } else {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready");
                    }
                })
                // Prometheus text format; no account or image ids (docs/operations.md: keep it off the public LB)
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(metrics.get());
                })
                .post("/admin/accounts", admin::createAccounts)
                .get("/admin/accounts", admin::listAccounts)
                .get("/admin/audit", admin::audit)
                .post("/admin/backup", admin::backup)
                .register("/console", console)
                .register(transfers::register)
                .any("/", (req, res) -> api(gateway, req, res));
        WebServerConfig.Builder builder = WebServer.builder();
        if (tls != null) {
            builder.tls(tls);
        }
        this.server = builder
                .host(host)
                .port(port)
                // Helidon's default (0.5 s) would cut off a long upload or download in flight at SIGTERM
                .shutdownGracePeriod(shutdownGrace)
                // Helidon's own SIGTERM hook would close the port at once; Imagehub.close drains first, then stops it
                .shutdownHook(false)
                // without TCP_NODELAY a response written in two segments waits for the client's delayed ACK (~40 ms)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing)
                // tccli --endpoint http://host:port sends that literal as its Host header (docs/clients.md); the API
                // routes nothing by host and checks the signature against the header as received
                .addProtocol(Http1Config.builder().validateRequestHostHeader(false).build())
                // without it, a response written in several chunks (any DescribeImages page of real size) waits
                // for the client's delayed ACK: ~40 ms per call on Linux (docs/performance.md, sharing)
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    private void api(ApiGateway gateway, ServerRequest req, ServerResponse res) {
        SignedRequest signed = new SignedRequest(req.prologue().method().text(), req.prologue().query().rawValue(),
                name -> req.headers().first(HeaderNames.create(name)).orElse(null), readBody(req));
        ApiGateway.Reply reply = gateway.handle(signed);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(REQUEST_ID, reply.requestId());
        res.send(reply.body());
    }

    /** The body, or null if it is larger than the limit (then only the limit plus one byte is read). */
    private byte[] readBody(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxRequestBytes) {
            return null;
        }
        // readNBytes allocates for the length it is asked for (up to 16 KiB at a time): ask for what was declared
        int atMost = declared >= 0 ? (int) declared + 1 : maxRequestBytes + 1;
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(atMost);
            return body.length > maxRequestBytes ? null : body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops accepting connections; requests in flight finish first. */
    @Override
    public void close() {
        server.stop();
    }
}
