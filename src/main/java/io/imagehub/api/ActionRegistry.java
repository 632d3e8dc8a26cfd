package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER;
import static io.imagehub.domain.ErrorCodes.UNKNOWN_PARAMETER;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.CallContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The actions the API answers, each with its request type, bound from JSON and checked strictly. */
public final class ActionRegistry {

    @FunctionalInterface
    public interface Handler<R> {
        Object handle(CallContext ctx, R request);
    }

    /** An action: its request record and handler, and whether it needs X-TC-Region. */
    public record Action<R>(String name, Class<R> requestType, Handler<R> handler, boolean regionRequired) {
        Object invoke(CallContext ctx, R request) {
            return handler.handle(ctx, request);
        }
    }

    private final Map<String, Action<?>> actions = new HashMap<>();

    public <R> void register(String name, Class<R> requestType, Handler<R> handler) {
        actions.put(name, new Action<>(name, requestType, handler, true));
    }

    public <R> void registerRegionless(String name, Class<R> requestType, Handler<R> handler) {
        actions.put(name, new Action<>(name, requestType, handler, false));
    }

    public Action<?> find(String name) {
        return actions.get(name);
    }

    /** Binds a JSON body (empty means {}) to the action's request and runs it. */
    public <R> Object invokeJson(Action<R> action, CallContext ctx, byte[] body) {
        R request;
        try {
            request = body.length == 0 ? Json.STRICT.readValue("{}", action.requestType())
                    : Json.STRICT.readValue(body, action.requestType());
        } catch (IOException e) {
            throw bindingError(e);
        }
        return action.invoke(ctx, request);
    }

    /** Binds flattened parameters (GET query or form) to the action's request and runs it. */
    public <R> Object invokeTree(Action<R> action, CallContext ctx, JsonNode params) {
        R request;
        try {
            request = Json.FLATTENED.treeToValue(params, action.requestType());
        } catch (IOException e) {
            throw bindingError(e);
        }
        return action.invoke(ctx, request);
    }

    private static ApiException bindingError(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new ApiException(UNKNOWN_PARAMETER, "The parameter `" + path(unknown) + "` is not recognized.");
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return new ApiException(INVALID_PARAMETER, "The parameter `" + path(mismatch) + "` has the wrong type.");
        }
        if (e instanceof JacksonException) {
            return new ApiException(INVALID_PARAMETER, "The request body is not a valid JSON object.");
        }
        return new ApiException(INVALID_PARAMETER, "The request parameters cannot be read.");
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
    }
}
