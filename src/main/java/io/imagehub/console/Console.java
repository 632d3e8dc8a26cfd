package io.imagehub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.imagehub.api.ApiGateway;
import io.imagehub.console.ApiCalls.Answer;
import io.imagehub.console.ApiCalls.Caller;
import io.imagehub.console.ConsoleSessions.Session;
import io.imagehub.console.Views.Chrome;
import io.imagehub.console.Views.Option;
import io.imagehub.console.Views.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console at {@code /console}: server-rendered pages (JTE, precompiled), htmx for the live parts. Each page
 * is made of API calls signed with the session's key ({@link ApiCalls}); this class keeps the session, the CSRF
 * check and the frame of the pages, and leaves the pages to
 * {@link ImagePages}, {@link ImageDetailPages} and {@link InstancePages}.
 */
public final class Console implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String COOKIE = "imagehub_session";
    static final String CSRF_FIELD = "csrf";
    private static final int AUDIT_EVENTS = 50;
    /** No inline script or style anywhere: a value that slipped through escaping still could not run. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final ApiCalls api;
    private final ConsoleSessions sessions;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Assets assets = new Assets();
    private final ImagePages images;
    private final ImageDetailPages image;
    private final InstancePages instances;

    @FunctionalInterface
    interface Page {
        void handle(Exchange x);
    }

    public Console(ApiGateway gateway, ConsoleSessions sessions) {
        this.api = new ApiCalls(gateway);
        this.sessions = sessions;
        this.images = new ImagePages(this);
        this.image = new ImageDetailPages(this);
        this.instances = new InstancePages(this, image);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/assets/{name}", (req, res) -> assets.serve(req.path().pathParameters().get("name"), res))
                .get("/", (req, res) -> handle(req, res, signedIn(x -> x.redirect("/console/images"))))
                .get("/signin", (req, res) -> handle(req, res, this::signInPage))
                .post("/signin", (req, res) -> handle(req, res, this::signIn))
                .post("/signout", (req, res) -> handle(req, res, signedIn(checked(this::signOut))))
                .post("/settings", (req, res) -> handle(req, res, signedIn(checked(this::settings))));
        images.routing(rules);
        image.routing(rules);
        instances.routing(rules);
    }

    /** Wraps a page: security headers on every answer, and an error page rather than a stack trace. */
    void handle(ServerRequest req, ServerResponse res, Page page) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Exchange x = Exchange.of(req, res);
        try {
            page.handle(x);
        } catch (RuntimeException e) {
            LOG.error("console page {} failed", req.path().path(), e);
            if (!res.isSent()) {
                Messages m = Messages.of(x.session == null ? null : x.session.language());
                x.html(Status.INTERNAL_SERVER_ERROR_500, render("error.jte",
                        new Views.ErrorPage(m, m.t("error.internal.title"), m.t("error.internal"))));
            }
        }
    }

    /** The page needs a live session: without one, a page view goes to sign-in and anything else is refused. */
    Page signedIn(Page page) {
        return x -> {
            x.session = sessions.find(x.cookie(COOKIE)).orElse(null);
            if (x.session != null) {
                page.handle(x);
            } else if (!x.isPost() && !x.isFragment()) {
                x.redirect("/console/signin?expired=1");
            } else {
                Messages m = Messages.of(null);
                x.res.header(HeaderNames.create("HX-Redirect"), "/console/signin?expired=1");
                x.html(Status.UNAUTHORIZED_401, render("error.jte",
                        new Views.ErrorPage(m, m.t("error.session.title"), m.t("error.session"))));
            }
        };
    }

    /** A state-changing form must carry the session's CSRF token; otherwise nothing is done. */
    Page checked(Page page) {
        return x -> {
            byte[] sent = x.param(CSRF_FIELD).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(sent, x.session.csrfToken().getBytes(StandardCharsets.US_ASCII))) {
                page.handle(x);
            } else {
                Messages m = messages(x);
                x.html(Status.FORBIDDEN_403, render("error.jte",
                        new Views.ErrorPage(m, m.t("error.csrf.title"), m.t("error.csrf"))));
            }
        };
    }

    private void signInPage(Exchange x) {
        Messages m = Messages.of(Messages.supported(x.param("lang")));
        Problem problem = x.param("expired").isEmpty() ? null : new Problem(null, m.t("signin.expired"));
        x.html(Status.OK_200, render("signin.jte", new Views.SignInPage(m, languages(m.language()), "", problem)));
    }

    /**
     * Signs in by making a signed API call with the key given: the API itself says whether the key is good. The key
     * then stays on the server, sealed in the session's row.
     */
    private void signIn(Exchange x) {
        String language = Messages.supported(x.param("language"));
        Messages m = Messages.of(language);
        String secretId = x.param("secretId");
        String secretKey = x.param("secretKey");
        Caller caller = new Caller(secretId, secretKey, null, language);
        Answer identity = api.call(caller, "ImagehubGetCallerIdentity", ApiCalls.body());
        if (!identity.ok()) {
            x.html(Status.OK_200, render("signin.jte", new Views.SignInPage(m, languages(language), secretId,
                    new Problem(identity.errorCode(), identity.errorMessage()))));
            return;
        }
        String region = api.call(caller, "DescribeRegions", ApiCalls.body())
                .get("RegionSet").path(0).path("Region").asText();
        Session session = sessions.create(identity.get("AccountId").asText(), secretId, secretKey, region, language);
        setCookie(x, session.id(), (int) sessions.idleTimeout().toSeconds());
        x.redirect("/console/images");
    }

    private void signOut(Exchange x) {
        sessions.delete(x.session);
        setCookie(x, "", 0);
        x.redirect("/console/signin");
    }

    private void settings(Exchange x) {
        String region = x.param("region");
        String language = Messages.supported(x.param("language"));
        Answer regions = call(x, "DescribeRegions", ApiCalls.body());
        boolean known = false;
        for (JsonNode r : regions.get("RegionSet")) {
            known |= r.path("Region").asText().equals(region);
        }
        x.session = sessions.update(x.session, known ? region : x.session.region(), language);
        String back = x.param("back");
        x.redirect(back.startsWith("/console/") && !back.startsWith("//") ? back : "/console/images");
    }

    /** HttpOnly (scripts cannot read it), SameSite=Strict (other sites cannot send it), Secure over TLS. */
    private static void setCookie(Exchange x, String value, int maxAgeSeconds) {
        x.res.header(HeaderNames.SET_COOKIE, COOKIE + "=" + value + "; Path=/console; HttpOnly; SameSite=Strict"
                + "; Max-Age=" + maxAgeSeconds + (x.req.isSecure() ? "; Secure" : ""));
    }

    /** One API call for the signed-in user, in their region and language. */
    Answer call(Exchange x, String action, ObjectNode body) {
        return call(x, x.session.region(), action, body);
    }

    Answer call(Exchange x, String region, String action, ObjectNode body) {
        Session s = x.session;
        return api.call(new Caller(s.secretId(), s.secretKey(), region, s.language()), action, body);
    }

    /** The newest events of an image's audit trail (owner only: the API refuses anyone else). */
    List<Views.AuditRow> auditTrail(Exchange x, String imageId) {
        Answer answer = call(x, "ImagehubDescribeImageAuditEvents",
                ApiCalls.body().put("ImageId", imageId).put("Limit", AUDIT_EVENTS));
        List<Views.AuditRow> rows = new ArrayList<>();
        for (JsonNode e : answer.get("AuditEventSet")) {
            List<String> accounts = new ArrayList<>();
            e.path("AccountIds").forEach(a -> accounts.add(a.asText()));
            rows.add(new Views.AuditRow(e.path("Time").asText(), e.path("ActorAccountId").asText(),
                    e.path("Action").asText(), String.join(", ", accounts), e.path("Outcome").asText(),
                    e.path("Detail").asText("")));
        }
        return rows;
    }

    /** Why an image's import or creation failed: the detail of the "Failed" event of its audit trail. */
    static String failureReason(List<Views.AuditRow> trail) {
        return trail.stream().filter(e -> "Failed".equals(e.outcome())).map(Views.AuditRow::detail).findFirst()
                .orElse(null);
    }

    Messages messages(Exchange x) {
        return Messages.of(x.session.language());
    }

    /** The frame of a signed-in page; {@code problem} is a refusal to show above the content. */
    Chrome chrome(Exchange x, String title, String active, Problem problem) {
        Messages m = messages(x);
        List<Option> regions = new ArrayList<>();
        for (JsonNode r : call(x, "DescribeRegions", ApiCalls.body()).get("RegionSet")) {
            String id = r.path("Region").asText();
            regions.add(new Option(id, r.path("RegionName").asText(id), id.equals(x.session.region())));
        }
        String notice = x.param("done").isEmpty() ? null : m.t("done." + x.param("done"));
        return new Chrome(m, title, active, x.session.accountId(), x.session.region(), regions,
                languages(m.language()), x.session.csrfToken(), notice, problem);
    }

    private static List<Option> languages(String current) {
        return List.of(new Option(Messages.ENGLISH, "English", Messages.ENGLISH.equals(current)),
                new Option(Messages.CHINESE, "中文", Messages.CHINESE.equals(current)));
    }

    String render(String template, Object view) {
        StringOutput out = new StringOutput();
        templates.render(template, Map.of("v", view), out);
        return out.toString();
    }
}
