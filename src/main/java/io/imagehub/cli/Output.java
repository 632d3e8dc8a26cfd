package io.imagehub.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The answer as tccli prints it: {@code --filter} (JMESPath) first, then {@code json} (the Response's content,
 * 4-space indented, UTF-8 unescaped, as Python's json.dumps(indent=4, ensure_ascii=False)), {@code text} (tccli's
 * tab-separated lines) or {@code table} (one table per list of objects, with the columns a person looks for first).
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JacksonRuntime JMESPATH = new JacksonRuntime();

    private Output() {
    }

    static JsonNode filter(JsonNode answer, String expression) {
        if (expression == null) {
            return answer;
        }
        Expression<JsonNode> compiled;
        try {
            compiled = JMESPATH.compile(expression);
        } catch (JmesPathException e) {
            throw CliException.usage("--filter: `" + expression + "` is not a JMESPath expression: " + e.getMessage());
        }
        return compiled.search(answer);
    }

    /** The text to print, ending in a newline, or "" when there is nothing (tccli prints nothing for an empty result). */
    static String render(JsonNode node, String format, boolean terminal, int columns) {
        if (node == null || node.isNull() || node.isMissingNode() || (node.isContainerNode() && node.isEmpty())) {
            return "";
        }
        return switch (format) {
            case "text" -> text(node);
            case "table" -> new Table(terminal ? columns : Integer.MAX_VALUE).render(node);
            default -> json(node) + "\n";
        };
    }

    static String json(JsonNode node) {
        try {
            return JSON.writer(new PythonIndent()).writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** json.dumps(indent=4): arrays one element a line, "key": value, and [] / {} when empty. */
    private static final class PythonIndent extends DefaultPrettyPrinter {
        PythonIndent() {
            super(DefaultPrettyPrinter.DEFAULT_ROOT_VALUE_SEPARATOR);
            DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
            _separators = Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
            _objectFieldValueSeparatorWithSpaces = ": ";
        }

        @Override
        public PythonIndent createInstance() {
            return new PythonIndent();
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues == 0) {
                _nesting--;
                g.writeRaw(']');
                return;
            }
            super.writeEndArray(g, nrOfValues);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries == 0) {
                _nesting--;
                g.writeRaw('}');
                return;
            }
            super.writeEndObject(g, nrOfEntries);
        }
    }

    // ---- text: tccli's text.py, line by line ----

    static String text(JsonNode node) {
        StringBuilder out = new StringBuilder();
        text(node, out, null, null);
        return out.toString();
    }

    private static void text(JsonNode item, StringBuilder out, String identifier, List<String> scalarKeys) {
        if (item.isObject()) {
            textObject(item, out, identifier, scalarKeys);
        } else if (item.isArray()) {
            textList(item, out, identifier);
        } else {
            out.append(scalar(item)).append('\n');
        }
    }

    private static void textList(JsonNode list, StringBuilder out, String identifier) {
        if (list.isEmpty()) {
            return;
        }
        List<JsonNode> scalars = new ArrayList<>();
        List<JsonNode> containers = new ArrayList<>();
        boolean anyObject = false;
        for (JsonNode element : list) {
            anyObject |= element.isObject();
            (element.isContainerNode() ? containers : scalars).add(element);
        }
        if (anyObject) {
            List<String> keys = allScalarKeys(list);
            list.forEach(element -> text(element, out, identifier, keys));
            return;
        }
        if (!scalars.isEmpty()) {
            if (identifier != null) {
                scalars.forEach(s -> out.append(identifier.toUpperCase()).append('\t').append(scalar(s)).append('\n'));
            } else {
                out.append(String.join("\t", scalars.stream().map(Output::scalar).toList())).append('\n');
            }
        }
        containers.forEach(c -> text(c, out, identifier, null));
    }

    private static void textObject(JsonNode object, StringBuilder out, String identifier, List<String> scalarKeys) {
        List<String> scalars = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> containers = new ArrayList<>();
        if (scalarKeys == null) {
            for (String key : new TreeSet<>(fieldNames(object))) {
                JsonNode value = object.get(key);
                if (value.isContainerNode()) {
                    containers.add(Map.entry(key, value));
                } else {
                    scalars.add(scalar(value));
                }
            }
        } else {
            for (String key : scalarKeys) {
                scalars.add(object.has(key) ? scalar(object.get(key)) : "");
            }
            for (String key : new TreeSet<>(fieldNames(object))) {
                if (!scalarKeys.contains(key)) {
                    containers.add(Map.entry(key, object.get(key)));
                }
            }
        }
        if (!scalars.isEmpty()) {
            if (identifier != null) {
                scalars.add(0, identifier.toUpperCase());
            }
            out.append(String.join("\t", scalars)).append('\n');
        }
        containers.forEach(e -> text(e.getValue(), out, e.getKey(), null));
    }

    private static List<String> allScalarKeys(JsonNode listOfObjects) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode element : listOfObjects) {
            element.fields().forEachRemaining(e -> {
                if (!e.getValue().isContainerNode()) {
                    keys.add(e.getKey());
                }
            });
        }
        return new ArrayList<>(keys);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A scalar as Python's str() prints it (tccli's text and table are Python's): True, False, None. */
    static String scalar(JsonNode value) {
        if (value == null || value.isNull()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        return value.asText();
    }

    // ---- table ----

    /**
     * Tables for people: an object's scalars as a two-column table, each list of objects as a table whose columns
     * come in the order a person reads them (ids, names, states, sizes, times, types and owners, then the rest;
     * first-level nested scalars as {@code Placement.Zone}). On a terminal, wide values are cut to fit.
     */
    private static final class Table {
        private static final int MIN_COLUMN = 6;
        private final int width;
        private final StringBuilder out = new StringBuilder();

        Table(int width) {
            this.width = width;
        }

        String render(JsonNode node) {
            if (node.isArray()) {
                list(null, node);
            } else if (node.isObject()) {
                object(null, node);
            } else {
                grid(null, List.of("Value"), List.of(List.of(scalar(node))));
            }
            return out.toString();
        }

        private void object(String title, JsonNode object) {
            List<List<String>> rows = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, JsonNode>> nested = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (e.getValue().isContainerNode()) {
                    nested.add(e);
                } else {
                    rows.add(List.of(e.getKey(), scalar(e.getValue())));
                }
            }
            if (!rows.isEmpty()) {
                grid(title, null, rows);
            }
            for (Map.Entry<String, JsonNode> e : nested) {
                String name = title == null ? e.getKey() : title + "." + e.getKey();
                if (e.getValue().isArray()) {
                    list(name, e.getValue());
                } else {
                    object(name, e.getValue());
                }
            }
        }

        private void list(String title, JsonNode list) {
            String heading = (title == null ? "" : title + " ") + "(" + list.size() + ")";
            if (list.isEmpty()) {
                out.append(heading).append(": none\n\n");
                return;
            }
            boolean objects = true;
            for (JsonNode element : list) {
                objects &= element.isObject();
            }
            if (!objects) {
                List<List<String>> rows = new ArrayList<>();
                list.forEach(element -> rows.add(List.of(element.isContainerNode() ? json(element).replace('\n', ' ')
                        : scalar(element))));
                grid(heading, null, rows);
                return;
            }
            Set<String> columns = new LinkedHashSet<>();
            for (JsonNode element : list) {
                flatten(element).keySet().forEach(columns::add);
            }
            List<String> ordered = new ArrayList<>(columns);
            ordered.sort(Comparator.comparingInt(Table::rank));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode element : list) {
                Map<String, String> flat = flatten(element);
                rows.add(ordered.stream().map(c -> flat.getOrDefault(c, "")).toList());
            }
            grid(heading, ordered, rows);
        }

        /** Scalars of the object and of its nested objects one level down. */
        private static Map<String, String> flatten(JsonNode object) {
            Map<String, String> flat = new java.util.LinkedHashMap<>();
            object.fields().forEachRemaining(e -> {
                if (!e.getValue().isContainerNode()) {
                    flat.put(e.getKey(), scalar(e.getValue()));
                } else if (e.getValue().isObject()) {
                    e.getValue().fields().forEachRemaining(inner -> {
                        if (!inner.getValue().isContainerNode()) {
                            flat.put(e.getKey() + "." + inner.getKey(), scalar(inner.getValue()));
                        }
                    });
                }
            });
            return flat;
        }

        private static int rank(String column) {
            String c = column.contains(".") ? column.substring(column.lastIndexOf('.') + 1) : column;
            if (c.endsWith("Id") && !c.equals("RequestId")) {
                return 0;
            }
            if (c.endsWith("Name") && !c.equals("OsName")) {
                return 1;
            }
            if (c.endsWith("State") || c.endsWith("Status")) {
                return 2;
            }
            if (c.contains("Size") || c.equals("CPU") || c.equals("Memory")) {
                return 3;
            }
            if (c.endsWith("Time")) {
                return 4;
            }
            if (c.endsWith("Type") || c.endsWith("Creator") || c.endsWith("Owner") || c.equals("Region")
                    || c.equals("Zone") || c.equals("Platform")) {
                return 5;
            }
            return 6;
        }

        /** An ASCII grid; columns that do not fit the width are dropped from the right, the last one cut. */
        private void grid(String title, List<String> headers, List<List<String>> rows) {
            int n = headers != null ? headers.size() : rows.get(0).size();
            int[] widths = new int[n];
            for (int i = 0; i < n; i++) {
                widths[i] = headers != null ? headers.get(i).length() : 0;
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            int shown = 0;
            int used = 1;
            while (shown < n && used + widths[shown] + 3 <= width) {
                used += widths[shown] + 3;
                shown++;
            }
            if (shown < n && width - used - 3 >= MIN_COLUMN) {
                widths[shown] = width - used - 3;
                shown++;
            }
            if (shown == 0) {
                shown = 1;
                widths[0] = Math.max(MIN_COLUMN, width - 4);
            }
            if (title != null) {
                out.append(title).append('\n');
            }
            String rule = rule(widths, shown);
            out.append(rule);
            if (headers != null) {
                line(headers, widths, shown);
                out.append(rule);
            }
            for (List<String> row : rows) {
                line(row, widths, shown);
            }
            out.append(rule).append('\n');
        }

        private static String rule(int[] widths, int shown) {
            StringBuilder sb = new StringBuilder("+");
            for (int i = 0; i < shown; i++) {
                sb.append("-".repeat(widths[i] + 2)).append('+');
            }
            return sb.append('\n').toString();
        }

        private void line(List<String> cells, int[] widths, int shown) {
            out.append('|');
            for (int i = 0; i < shown; i++) {
                String cell = cells.get(i).replace('\n', ' ');
                if (cell.length() > widths[i]) {
                    cell = cell.substring(0, Math.max(0, widths[i] - 1)) + "…";
                }
                out.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
            }
            out.append('\n');
        }
    }
}
