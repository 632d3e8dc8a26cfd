package io.imagehub.cli;

import io.imagehub.api.ActionDescription;
import io.imagehub.api.ActionDescription.Member;
import java.util.ArrayList;
import java.util.List;

/** Help for `imagehub cvm`: the actions, and one action's parameters, read from the registry's descriptions. */
final class Help {
    private Help() {
    }

    static String actions(List<ActionDescription> actions) {
        StringBuilder sb = new StringBuilder("Usage: imagehub cvm ACTION [--Param value]... [options]\n\nActions:\n");
        int width = actions.stream().mapToInt(a -> a.name().length()).max().orElse(0);
        for (ActionDescription a : actions) {
            sb.append("  ").append(a.name()).append(" ".repeat(width - a.name().length() + 2)).append(a.help())
                    .append('\n');
        }
        sb.append("\n`imagehub cvm ACTION help` describes an action's parameters.\n");
        return sb.toString();
    }

    static String action(ActionDescription action) {
        StringBuilder sb = new StringBuilder(action.name()).append(": ").append(action.help()).append("\n\n");
        sb.append("Usage: imagehub cvm ").append(action.name());
        action.members().stream().filter(Member::required).forEach(m -> sb.append(" --").append(m.name()).append(' ')
                .append(m.type().display().replace(' ', '_').toUpperCase()));
        sb.append(" [--Param value]...\n\nParameters:\n");
        for (Member m : action.members()) {
            sb.append("  --").append(m.name()).append(" (").append(m.type().display())
                    .append(m.required() ? ", required" : "").append(")").append(limits(m)).append('\n');
            sb.append("      ").append(m.help()).append('\n');
            if (m.type().kind() == ActionDescription.Kind.OBJECT || m.type().kind() == ActionDescription.Kind.LIST
                    && m.type().element().kind() == ActionDescription.Kind.OBJECT) {
                sb.append("      e.g. ").append(ActionArguments.example(m.type())).append('\n');
            }
        }
        if (action.regionRequired()) {
            sb.append("\nNeeds a region (--region, TENCENTCLOUD_REGION or the profile's).\n");
        }
        return sb.toString();
    }

    private static String limits(Member m) {
        List<String> limits = new ArrayList<>();
        if (m.maxLength() != null) {
            limits.add("at most " + m.maxLength() + " characters");
        }
        if (m.maxItems() != null) {
            limits.add("at most " + m.maxItems() + " elements");
        }
        if (m.min() != null || m.max() != null) {
            limits.add((m.min() == null ? "" : ">= " + m.min()) + (m.min() != null && m.max() != null ? ", " : "")
                    + (m.max() == null ? "" : "<= " + m.max()));
        }
        if (!m.allowed().isEmpty()) {
            limits.add("one of " + String.join(", ", m.allowed()));
        }
        return limits.isEmpty() ? "" : " [" + String.join("; ", limits) + "]";
    }

    /** The nearest action name, if one is close (a typo, or the wrong case). */
    static String didYouMean(String name, List<ActionDescription> actions) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ActionDescription a : actions) {
            int d = distance(name.toLowerCase(), a.name().toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = a.name();
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
