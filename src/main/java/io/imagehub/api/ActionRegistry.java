package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER;
import static io.imagehub.domain.ErrorCodes.UNKNOWN_PARAMETER;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.CallContext;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagehub.api.model.ApiMember;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.imagehub.api.ActionDescription.Kind;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ActionDescription.Type;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one list of actions the API answers, each with its request record, bound from JSON and checked strictly, and
 * described for clients ({@link #descriptions()}) from the same record: a new action appears in the CLI, its help
 * and completion, and the console without client code.
 */
public final class ActionRegistry {
    private static final PropertyNamingStrategies.NamingBase WIRE_NAMES =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.UPPER_CAMEL_CASE;

    @FunctionalInterface
    public interface Handler<R> {
        Object handle(CallContext ctx, R request);
    }

    /** An action: its request record and handler, whether it needs X-TC-Region, and a help line. */
    public record Action<R>(String name, Class<R> requestType, Handler<R> handler, boolean regionRequired,
                            String help) {
        Object invoke(CallContext ctx, R request) {
            return handler.handle(ctx, request);
        }
    }

    /** In registration order, which is the order of help and completion. */
    private final Map<String, Action<?>> actions = new LinkedHashMap<>();
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    private static final String NOT_AN_OBJECT = "The request body is not a valid JSON object.";

    public <R> void register(String name, Class<R> requestType, String help, Handler<R> handler) {
        add(new Action<>(name, requestType, handler, true, help));
    }

    public <R> void registerRegionless(String name, Class<R> requestType, String help, Handler<R> handler) {
        add(new Action<>(name, requestType, handler, false, help));
    }

    private void add(Action<?> action) {
        if (!action.requestType().isRecord()) {
            throw new IllegalArgumentException(action.name() + ": a request type must be a record");
        }
        if (actions.putIfAbsent(action.name(), action) != null) {
            throw new IllegalStateException("the action " + action.name() + " is registered twice");
        }
    }

    public Action<?> find(String name) {
        return actions.get(name);
    }

    /** Every action, described from its request record (members as on the wire, types, required, limits, help). */
    public List<ActionDescription> descriptions() {
        return actions.values().stream().map(a -> new ActionDescription(a.name(), a.help(), a.regionRequired(),
                members(a.requestType()))).toList();
    }

    /**
     * The actions of every node, for clients that have no node behind them (the CLI, the console, test matrices):
     * the action groups are built without services, which registering them does not touch.
     * {@code ActionCatalogueTest} proves a started node answers exactly these actions.
     */
    public static ActionRegistry catalogue() {
        ActionRegistry registry = new ActionRegistry();
        new RegionActions(List.of()).register(registry);
        new ImageActions(null, null, 0, null).register(registry); // no meters: a registry would start logging in the CLI
        new InstanceActions(null, List.of(), List.of()).register(registry);
        new DataPlaneActions(null).register(registry);
        new ImagehubActions(null).register(registry);
        new WebhookActions(null).register(registry);
        return registry;
    }

    private static List<Member> members(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(ActionRegistry::member).toList();
    }

    private static Member member(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        String name = renamed != null && !renamed.value().isEmpty() ? renamed.value()
                : WIRE_NAMES.translate(component.getName());
        ApiMember about = component.getAnnotation(ApiMember.class);
        Type type = type(component.getGenericType());
        if (about == null) {
            return new Member(name, type, false, "", null, null, null, null, List.of());
        }
        return new Member(name, type, about.required(), about.help(), about.maxLength() > 0 ? about.maxLength() : null,
                about.maxItems() > 0 ? about.maxItems() : null, about.min() == ApiMember.UNBOUNDED ? null : about.min(),
                about.max() == ApiMember.UNBOUNDED ? null : about.max(), List.of(about.allowed()));
    }

    private static Type type(java.lang.reflect.Type javaType) {
        if (javaType instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return new Type(Kind.LIST, null, type(generic.getActualTypeArguments()[0]), List.of());
            }
            if (Map.class.isAssignableFrom(raw)) {
                return new Type(Kind.MAP, null, null, List.of());
            }
            throw new IllegalArgumentException("no wire type for " + javaType);
        }
        Class<?> c = (Class<?>) javaType;
        if (c == String.class) {
            return new Type(Kind.STRING, null, null, List.of());
        }
        if (c == Long.class || c == Integer.class || c == long.class || c == int.class) {
            return new Type(Kind.INTEGER, null, null, List.of());
        }
        if (c == Float.class || c == Double.class || c == float.class || c == double.class) {
            return new Type(Kind.FLOAT, null, null, List.of());
        }
        if (c == Boolean.class || c == boolean.class) {
            return new Type(Kind.BOOLEAN, null, null, List.of());
        }
        if (c.isRecord()) {
            String simple = c.getSimpleName();
            return new Type(Kind.OBJECT, simple.endsWith("Dto") ? simple.substring(0, simple.length() - 3) : simple,
                    null, members(c));
        }
        if (Map.class.isAssignableFrom(c) || c == Object.class) {
            return new Type(Kind.MAP, null, null, List.of());
        }
        throw new IllegalArgumentException("no wire type for " + c);
    }

    /**
     * Binds a JSON body (empty means {}) to the action's request and runs it. Only an object binds: Jackson would
     * read {@code null} as a null request and a scalar through a record's one-argument constructor.
     */
    public <R> Object invokeJson(Action<R> action, CallContext ctx, byte[] body) {
        R request;
        try (JsonParser parser = Json.STRICT.createParser(body.length == 0 ? EMPTY_OBJECT : body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ApiException(INVALID_PARAMETER, NOT_AN_OBJECT);
            }
            request = Json.STRICT.readValue(parser, action.requestType());
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
            return new ApiException(INVALID_PARAMETER, NOT_AN_OBJECT);
        }
        return new ApiException(INVALID_PARAMETER, "The request parameters cannot be read.");
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
    }
}
