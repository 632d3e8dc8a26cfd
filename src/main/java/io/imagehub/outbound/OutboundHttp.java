package io.imagehub.outbound;

import io.imagehub.domain.OutboundTarget;
import io.imagehub.domain.OutboundUrl;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes the request for a URL the {@link io.imagehub.domain.OutboundUrlPolicy} allowed, to the addresses it checked:
 * Apache HttpClient is given a resolver that knows only that host and those addresses, so nothing resolves the name
 * a second time, while the Host header, TLS SNI and certificate verification still use the host name. No proxy, no
 * redirects, no retries, no cookies, no compression; connect and read timeouts on every request.
 */
public final class OutboundHttp {
    private static final String USER_AGENT = "imagehub";
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLContext tls;

    /** Trusting the JVM's certificate authorities. */
    public OutboundHttp(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, SSLContexts.createDefault());
    }

    /** Trusting the authorities of {@code tls} (a test's own). */
    public OutboundHttp(Duration connectTimeout, Duration readTimeout, SSLContext tls) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = tls;
    }

    /** An open response. Closing it (or its body) closes the connection at once: nothing left unread is drained. */
    public static final class Response implements Closeable {
        private final CloseableHttpClient client;
        private final ClassicHttpResponse response;

        private Response(CloseableHttpClient client, ClassicHttpResponse response) {
            this.client = client;
            this.response = response;
        }

        public int status() {
            return response.getCode();
        }

        /** The announced body length, or -1 when none was announced. */
        public long contentLength() {
            HttpEntity entity = response.getEntity();
            return entity == null ? 0 : entity.getContentLength();
        }

        public InputStream body() throws IOException {
            HttpEntity entity = response.getEntity();
            return new FilterInputStream(entity == null ? InputStream.nullInputStream() : entity.getContent()) {
                @Override
                public void close() {
                    Response.this.close();
                }
            };
        }

        /**
         * Closes without reading to the end of the body (HttpClient's graceful close would read an endless
         * response forever, or a large one whole, after the size bound has already refused it).
         */
        @Override
        public void close() {
            if (response instanceof ModalCloseable connection) {
                connection.close(CloseMode.IMMEDIATE);
            }
            client.close(CloseMode.IMMEDIATE);
        }
    }

    /** GET of the target's URL, with no header or body from the user. */
    public Response get(OutboundTarget target) throws IOException {
        OutboundUrl url = target.url();
        return execute(target, new HttpGet(url.path() + (url.query() == null ? "" : "?" + url.query())));
    }

    /** POST of a JSON body to the target's URL (a webhook delivery), with the given extra headers. */
    public Response postJson(OutboundTarget target, byte[] body, Map<String, String> headers) throws IOException {
        OutboundUrl url = target.url();
        HttpPost request = new HttpPost(url.path() + (url.query() == null ? "" : "?" + url.query()));
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        return execute(target, request);
    }

    private Response execute(OutboundTarget target, HttpUriRequestBase request) throws IOException {
        OutboundUrl url = target.url();
        CloseableHttpClient client = client(target);
        try {
            return new Response(client, client.executeOpen(new HttpHost(url.scheme(), hostName(url), url.port()),
                    request, null));
        } catch (IOException | RuntimeException e) {
            client.close(CloseMode.IMMEDIATE);
            throw e;
        }
    }

    /** A client for one request, whose only resolvable name is the target's host. */
    private CloseableHttpClient client(OutboundTarget target) {
        String host = hostName(target.url());
        InetAddress[] pinned = target.addresses().toArray(InetAddress[]::new);
        DnsResolver checkedAddresses = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String name) throws UnknownHostException {
                if (!name.equalsIgnoreCase(host)) {
                    throw new UnknownHostException(name + " was not checked by the outbound URL policy");
                }
                return pinned.clone();
            }

            @Override
            public String resolveCanonicalHostname(String name) {
                return name;
            }
        };
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(checkedAddresses)
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls)) // verifies the certificate against the name
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /** The host as Apache HttpClient takes it: an IPv6 address without brackets. */
    private static String hostName(OutboundUrl url) {
        return url.host().startsWith("[") ? url.host().substring(1, url.host().length() - 1) : url.host();
    }
}
