package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INTERNAL_ERROR;
import static io.imagehub.domain.ErrorCodes.INVALID_ACTION;
import static io.imagehub.domain.ErrorCodes.MISSING_PARAMETER;
import static io.imagehub.domain.ErrorCodes.NO_SUCH_VERSION;
import static io.imagehub.domain.ErrorCodes.REQUEST_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.SERVICE_UNAVAILABLE;
import static io.imagehub.domain.ErrorCodes.UNSUPPORTED_PROTOCOL;
import static io.imagehub.domain.ErrorCodes.UNSUPPORTED_REGION;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.AccountService.ResolvedKey;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.UnavailableException;
import io.imagehub.limits.RequestLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The front door, independent of the HTTP server: one signed request in, one Tencent envelope out, always.
 * Follows the processing order of spec 1.10; every outcome, refusals and failures included, is an envelope
 * (the SDK discards anything but HTTP 200). Logs one line per request, without secrets.
 */
public final class ApiGateway {
    public static final String VERSION = "2017-03-12";
    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("imagehub.request");
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);
    /** The MDC key of the RequestId: every line logged while a request is handled carries it. */
    public static final String REQUEST_ID_KEY = "requestId";
    /** How every success envelope begins; a cached answer's members follow it. */
    private static final byte[] RESPONSE_OPEN = "{\"Response\":{".getBytes(StandardCharsets.UTF_8);

    private final RequestAuthenticator authenticator;
    private final SignatureV1 signatureV1;
    private final ActionRegistry actions;
    private final ServerConfig config;
    private final RequestMetrics metrics;
    private final RequestLimiter limiter;

    /** The outcome: the envelope's bytes and its RequestId. */
    public record Reply(String requestId, byte[] body) {
    }

    public ApiGateway(RequestAuthenticator authenticator, SignatureV1 signatureV1, ActionRegistry actions,
                      ServerConfig config) {
        this(authenticator, signatureV1, actions, config, new SimpleMeterRegistry());
    }

    public ApiGateway(RequestAuthenticator authenticator, SignatureV1 signatureV1, ActionRegistry actions,
                      ServerConfig config, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.signatureV1 = signatureV1;
        this.actions = actions;
        this.config = config;
        this.metrics = new RequestMetrics(meters, actions);
        this.limiter = limiter(config, actions, meters);
    }

    private static RequestLimiter limiter(ServerConfig config, ActionRegistry actions, MeterRegistry meters) {
        checkRequestLimits(config, actions);
        Map<String, RequestLimiter.Rate> rates = new LinkedHashMap<>();
        config.actionRequestsPerSecond.forEach((action, rate) -> rates.put(action, new RequestLimiter.Rate(rate)));
        return new RequestLimiter(new RequestLimiter.Rate(config.requestsPerSecond), rates, meters);
    }

    /** A rate for an action that does not exist is a typo: it stops the start rather than limit nothing. */
    public static void checkRequestLimits(ServerConfig config, ActionRegistry actions) {
        for (String action : config.actionRequestsPerSecond.keySet()) {
            if (actions.find(action) == null) {
                throw new IllegalArgumentException("--action-requests-per-second (actionRequestsPerSecond) names an "
                        + "action that does not exist: " + action);
            }
        }
    }

    /** {@code body} is null when it was larger than the limit (it was not read whole). */
    public Reply handle(SignedRequest request) {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        MDC.put(REQUEST_ID_KEY, requestId);
        try {
            return handle(request, requestId, start);
        } finally {
            MDC.remove(REQUEST_ID_KEY);
        }
    }

    private Reply handle(SignedRequest request, String requestId, long start) {
        String actionName = request.header().apply("X-TC-Action");
        String accountId = null;
        String outcome = "Success";
        byte[] reply;
        try {
            Call call = authenticate(request);
            actionName = call.action();
            accountId = call.key().accountId();
            reply = success(requestId, dispatch(request, call,
                    new CallContext(requestId, accountId, call.region(), call.language())));
        } catch (ApiException e) {
            outcome = e.code();
            reply = error(requestId, e.code(), e.getMessage());
        } catch (UnavailableException e) {
            // the store logs the outage once; a line per request would bury it (the request line still says it)
            outcome = SERVICE_UNAVAILABLE;
            reply = error(requestId, SERVICE_UNAVAILABLE, "The service is temporarily unavailable; nothing was "
                    + "changed. Retry later; quote RequestId " + requestId + ".");
        } catch (RuntimeException e) {
            outcome = INTERNAL_ERROR;
            LOG.error("request {} ({}) failed", requestId, actionName, e);
            reply = error(requestId, INTERNAL_ERROR, "An internal error occurred; quote RequestId " + requestId + ".");
        }
        long nanos = System.nanoTime() - start;
        metrics.record(actionName, outcome, nanos);
        if (REQUEST_LOG.isInfoEnabled()) {
            REQUEST_LOG.info("rid={} account={} action={} outcome={} ms={}", requestId, accountId, actionName, outcome,
                    nanos / 1_000_000);
        }
        return new Reply(requestId, reply);
    }

    /**
     * An authenticated request's common parameters, wherever its style put them (spec 1.2): X-TC-* headers with
     * TC3, or parameters with signature v1, whose business parameters are then {@code flattened}.
     */
    private record Call(ResolvedKey key, boolean signatureV1, String action, String version, String region,
                        String language, Map<String, String> flattened) {
        /** How the request names a common parameter, for messages. */
        String named(String header, String parameter) {
            return signatureV1 ? "parameter `" + parameter + "`" : "header `" + header + "`";
        }
    }

    private Call authenticate(SignedRequest request) {
        if (!"POST".equals(request.method()) && !"GET".equals(request.method())) {
            throw new ApiException(UNSUPPORTED_PROTOCOL, "Only GET and POST are supported.");
        }
        if (request.body() == null) {
            throw new ApiException(ErrorCodes.REQUEST_SIZE_LIMIT_EXCEEDED,
                    "The request body is larger than " + config.maxRequestBytes + " bytes.");
        }
        Map<String, String> v1 = SignatureV1.parameters(request);
        if (v1 != null) {
            ResolvedKey key = signatureV1.authenticate(request.method(), request.header().apply("Host"), v1);
            return new Call(key, true, v1.get("Action"), v1.get("Version"), v1.get("Region"), v1.get("Language"),
                    SignatureV1.businessParameters(v1));
        }
        ResolvedKey key = authenticator.authenticate(request);
        return new Call(key, false, request.header().apply("X-TC-Action"), request.header().apply("X-TC-Version"),
                request.header().apply("X-TC-Region"), request.header().apply("X-TC-Language"),
                "GET".equals(request.method()) ? FlattenedParams.decode(request.rawQuery()) : null);
    }

    private Object dispatch(SignedRequest request, Call call, CallContext ctx) {
        if (call.action() == null || call.action().isEmpty()) {
            throw new ApiException(MISSING_PARAMETER, "The request is missing the " + call.named("X-TC-Action", "Action") + ".");
        }
        ActionRegistry.Action<?> action = actions.find(call.action());
        if (action == null) {
            throw new ApiException(INVALID_ACTION, "The action `" + call.action() + "` does not exist.");
        }
        String version = call.version();
        if (version == null || version.isEmpty()) {
            throw new ApiException(MISSING_PARAMETER, "The request is missing the " + call.named("X-TC-Version", "Version") + ".");
        }
        if (!VERSION.equals(version)) {
            throw new ApiException(NO_SUCH_VERSION, "The API version `" + version + "` does not exist; use " + VERSION + ".");
        }
        if (action.regionRequired()) {
            if (ctx.region() == null || ctx.region().isEmpty()) {
                throw new ApiException(MISSING_PARAMETER, "The request is missing the " + call.named("X-TC-Region", "Region") + ".");
            }
            if (config.region(ctx.region()) == null) {
                throw new ApiException(UNSUPPORTED_REGION, "The region `" + ctx.region() + "` is not supported.");
            }
        }
        RequestLimiter.Refusal throttled = limiter.acquire(ctx.accountId(), action.name());
        if (throttled != null) {
            throw new ApiException(REQUEST_LIMIT_EXCEEDED, "Your account may call " + action.name() + " at most "
                    + throttled.rate() + " times per second; retry in " + (throttled.retryAfter().toMillis() + 1)
                    + " ms.");
        }
        return call.flattened() != null
                ? actions.invokeTree(action, ctx, FlattenedParams.tree(call.flattened()))
                : actions.invokeJson(action, ctx, request.body());
    }

    /** {"Response": {...}}. */
    private record Envelope(Object response) {
    }

    /** The action's result members followed by RequestId, serialised in one pass (no intermediate tree). */
    private record Success(@JsonUnwrapped Object result, String requestId) {
    }

    private static byte[] success(String requestId, Object result) {
        if (result instanceof EncodedMembers encoded) {
            return withRequestId(encoded, requestId);
        }
        try {
            return Json.STRICT.writeValueAsBytes(new Envelope(new Success(result, requestId)));
        } catch (JsonProcessingException e) {
            LOG.error("request {}: the response cannot be encoded", requestId, e);
            return error(requestId, INTERNAL_ERROR, "An internal error occurred; quote RequestId " + requestId + ".");
        }
    }

    /** The bytes {@link #success} would write for the result that {@code encoded} holds. */
    private static byte[] withRequestId(EncodedMembers encoded, String requestId) {
        byte[] members = encoded.json();
        byte[] tail = ((members.length == 0 ? "" : ",") + "\"RequestId\":\"" + requestId + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] reply = new byte[RESPONSE_OPEN.length + members.length + tail.length];
        System.arraycopy(RESPONSE_OPEN, 0, reply, 0, RESPONSE_OPEN.length);
        System.arraycopy(members, 0, reply, RESPONSE_OPEN.length, members.length);
        System.arraycopy(tail, 0, reply, RESPONSE_OPEN.length + members.length, tail.length);
        return reply;
    }

    static byte[] error(String requestId, String code, String message) {
        ObjectNode response = Json.STRICT.createObjectNode();
        response.putObject("Error").put("Code", code).put("Message", message);
        response.put("RequestId", requestId);
        return envelope(response);
    }

    private static byte[] envelope(ObjectNode response) {
        ObjectNode root = Json.STRICT.createObjectNode();
        root.set("Response", response);
        try {
            return Json.STRICT.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            return ("{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"response encoding failed\"},"
                    + "\"RequestId\":\"" + UUID.randomUUID() + "\"}}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
