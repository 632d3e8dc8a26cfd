package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.api.ActionDescription;
import io.imagehub.api.ActionDescription.Kind;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ActionDescription.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An action's parameters from the command line, by tccli's rules (argument.py, cli_unfold_argument.py): each member
 * as {@code --Name value} in PascalCase as on the wire; scalars as they are (Booleans True/False), lists and objects
 * as JSON. With {@code --cli-unfold-argument}, dotted names reach into them ({@code --Filters.0.Values a b}) and a
 * list of scalars takes several values. Types come from the action's description (the server's request record).
 */
final class ActionArguments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ActionDescription action;
    private final boolean unfold;

    ActionArguments(ActionDescription action, boolean unfold) {
        this.action = action;
        this.unfold = unfold;
    }

    /** {@code --cli-input-json}: a JSON object, inline or from {@code file://PATH}. */
    static ObjectNode inputJson(String value) {
        String text = value;
        if (value.startsWith("file://")) {
            try {
                text = Files.readString(Path.of(value.substring("file://".length())));
            } catch (IOException e) {
                throw CliException.usage("--cli-input-json: cannot read " + value + ": " + e.getMessage());
            }
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // reported below
        }
        throw CliException.usage("--cli-input-json expects a JSON object (or file://PATH holding one)");
    }

    /** Adds the parameters in {@code args} to {@code params} (later values replace earlier ones). */
    ObjectNode parse(List<String> args, ObjectNode params) {
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw CliException.usage("unexpected `" + arg + "`: parameters are given as --Name value (see "
                        + "`imagehub cvm " + action.name() + " help`)");
            }
            String name = arg.substring(2);
            List<String> values = new ArrayList<>();
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.add(name.substring(eq + 1));
                name = name.substring(0, eq);
                i++;
            } else {
                i++;
                while (i < args.size() && !args.get(i).startsWith("--")) {
                    values.add(args.get(i));
                    i++;
                    if (!unfold) {
                        break;
                    }
                }
            }
            if (values.isEmpty()) {
                throw CliException.usage("--" + name + " needs a value");
            }
            set(params, name, values);
        }
        return params;
    }

    private void set(ObjectNode params, String dotted, List<String> values) {
        String[] path = dotted.split("\\.");
        if (path.length > 1 && !unfold) {
            throw CliException.usage("--" + dotted + ": dotted parameters need --cli-unfold-argument");
        }
        Member member = action.member(path[0]);
        if (member == null) {
            throw CliException.usage("--" + path[0] + " is not a parameter of " + action.name() + "; its parameters: "
                    + String.join(", ", action.members().stream().map(m -> "--" + m.name()).toList()));
        }
        Type type = member.type();
        JsonNode container = params;
        String key = path[0];
        for (int p = 1; p < path.length; p++) {
            JsonNode child = child(container, key, type, dotted);
            String segment = path[p];
            if (type.kind() == Kind.LIST) {
                if (!segment.matches("\\d{1,4}")) {
                    throw CliException.usage("--" + dotted + ": `" + segment + "` must be a list index (0, 1, ...)");
                }
                type = type.element();
            } else if (type.kind() == Kind.OBJECT) {
                Type object = type;
                Member inner = object.members().stream().filter(m -> m.name().equals(segment)).findFirst()
                        .orElseThrow(() -> CliException.usage("--" + dotted + ": " + object.display()
                                + " has no member `" + segment + "`"));
                type = inner.type();
            } else if (type.kind() != Kind.MAP) {
                throw CliException.usage("--" + dotted + ": `" + key + "` is a " + type.display() + ", not an object");
            }
            container = child;
            key = segment;
        }
        put(container, key, value(dotted, type, values));
    }

    /** The object or list under {@code key} of {@code container}, created as {@code type} needs. */
    private static JsonNode child(JsonNode container, String key, Type type, String dotted) {
        JsonNode existing = get(container, key);
        if (existing != null && existing.isContainerNode()) {
            return existing;
        }
        JsonNode made = type.kind() == Kind.LIST ? NODES.arrayNode() : NODES.objectNode();
        if (type.scalar()) {
            throw CliException.usage("--" + dotted + ": `" + key + "` is a " + type.display() + ", not a list or object");
        }
        put(container, key, made);
        return made;
    }

    private static JsonNode get(JsonNode container, String key) {
        return container.isArray() ? container.get(Integer.parseInt(key)) : container.get(key);
    }

    private static void put(JsonNode container, String key, JsonNode value) {
        if (container instanceof ObjectNode object) {
            object.set(key, value);
            return;
        }
        ArrayNode array = (ArrayNode) container;
        int index = Integer.parseInt(key);
        if (index > array.size()) {
            throw CliException.usage("list indexes must be given in order from 0: index " + index + " follows "
                    + (array.size() - 1));
        }
        if (index == array.size()) {
            array.add(value);
        } else {
            array.set(index, value);
        }
    }

    private JsonNode value(String name, Type type, List<String> values) {
        if (type.kind() == Kind.LIST && unfold && type.element().scalar()) {
            ArrayNode list = NODES.arrayNode();
            values.forEach(v -> list.add(scalar(name, type.element(), v)));
            return list;
        }
        if (values.size() > 1) {
            throw CliException.usage("--" + name + " takes one value (" + type.display() + "), not " + values.size());
        }
        String text = values.get(0);
        if (type.scalar()) {
            return scalar(name, type, text);
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (IOException e) {
            throw CliException.usage("--" + name + " is a " + type.display() + ": give it as JSON, e.g. "
                    + example(type) + (unfold ? "" : ", or use --cli-unfold-argument"));
        }
        boolean fits = type.kind() == Kind.LIST ? parsed.isArray() : parsed.isObject();
        if (!fits) {
            throw CliException.usage("--" + name + " is a " + type.display() + ": give it as JSON, e.g. " + example(type));
        }
        return parsed;
    }

    private static JsonNode scalar(String name, Type type, String text) {
        switch (type.kind()) {
            case INTEGER -> {
                try {
                    return NODES.numberNode(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw CliException.usage("--" + name + " is an Integer, not `" + text + "`");
                }
            }
            case FLOAT -> {
                try {
                    return NODES.numberNode(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw CliException.usage("--" + name + " is a Float, not `" + text + "`");
                }
            }
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true")) {
                    return NODES.booleanNode(true);
                }
                if (text.equalsIgnoreCase("false")) {
                    return NODES.booleanNode(false);
                }
                throw CliException.usage("--" + name + " is a Boolean: True or False, not `" + text + "`");
            }
            default -> {
                return NODES.textNode(text);
            }
        }
    }

    /** A one-line JSON example of a type, for usage errors. */
    static String example(Type type) {
        return "'" + Output.json(skeleton(type)).replaceAll("\\s*\n\\s*", "") + "'";
    }

    /** tccli's --generate-cli-skeleton: every member with a placeholder of its type. */
    static ObjectNode skeleton(ActionDescription action) {
        ObjectNode skeleton = NODES.objectNode();
        action.members().forEach(m -> skeleton.set(m.name(), skeleton(m.type())));
        return skeleton;
    }

    private static JsonNode skeleton(Type type) {
        return switch (type.kind()) {
            case STRING -> NODES.textNode("");
            case INTEGER -> NODES.numberNode(0);
            case FLOAT -> NODES.numberNode(0.0);
            case BOOLEAN -> NODES.booleanNode(false);
            case LIST -> NODES.arrayNode().add(skeleton(type.element()));
            case OBJECT -> {
                ObjectNode object = NODES.objectNode();
                type.members().forEach(m -> object.set(m.name(), skeleton(m.type())));
                yield object;
            }
            case MAP -> NODES.objectNode();
        };
    }
}
