package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.api.ActionDescription;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ActionRegistry;
import io.imagehub.client.SignedClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code imagehub cvm ACTION [--Param value]...}: any action the server answers, with tccli's syntax, built from
 * {@link ActionRegistry#catalogue()} (a new server action needs no code here), plus {@code --all} pagination and
 * {@code --wait}.
 */
@Command(name = "cvm", description = {"Call an API action in tccli's syntax (cvm ACTION --Param v).",
        "imagehub cvm ACTION [--Param value]...",
        "`imagehub cvm help` lists the actions; `imagehub cvm ACTION help` describes one."})
public final class CvmCommand extends ClientCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--cli-unfold-argument", description = "Give lists and objects member by member: --Filters.0.Name x.")
    boolean unfold;

    @Option(names = "--cli-input-json", paramLabel = "JSON", description = "The parameters as JSON, or file://PATH.")
    String inputJson;

    @Option(names = "--generate-cli-skeleton", description = "Print the action's parameters as JSON and call nothing.")
    boolean skeleton;

    @Option(names = "--all", description = "Describe*: follow Offset/Limit until TotalCount, print one merged answer.")
    boolean all;

    @Option(names = "--wait", description = "Wait until what the action started is done (see `imagehub wait`).")
    boolean waitFor;

    @Option(names = "--waiter", paramLabel = "JSON", description = "tccli's waiter: {\"expr\": JMESPATH, \"to\": VALUE, "
            + "\"timeout\": SECONDS, \"interval\": SECONDS}; calls the action until expr gives to.")
    String waiter;

    @Mixin
    WaitOptions waiting = new WaitOptions();

    @Unmatched
    List<String> args = new ArrayList<>();

    CvmCommand() {
        this(CliContext.system());
    }

    CvmCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    int run() throws IOException {
        List<ActionDescription> actions = ActionRegistry.catalogue().descriptions();
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            ctx.out().print(Help.actions(actions));
            return ExitCodes.OK;
        }
        String name = args.get(0);
        ActionDescription action = actions.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> CliException.usage("no action `" + name + "`" + Help.didYouMean(name, actions)
                        + "; `imagehub cvm help` lists them"));
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("help") || rest.contains("--help") || rest.contains("-h")) {
            ctx.out().print(Help.action(action));
            return ExitCodes.OK;
        }
        if (skeleton) {
            ctx.out().print(Output.json(ActionArguments.skeleton(action)) + "\n");
            return ExitCodes.OK;
        }
        ObjectNode params = new ActionArguments(action, unfold).parse(rest,
                inputJson == null ? JsonNodeFactory.instance.objectNode() : ActionArguments.inputJson(inputJson));
        WaitRule rule = null;
        if (waitFor) {
            rule = WAIT_RULES.get(action.name());
            if (rule == null) {
                throw CliException.usage(action.name() + " starts nothing to wait for; --wait applies to "
                        + String.join(", ", WAIT_RULES.keySet()));
            }
            if (action.name().equals("SyncImages") && !params.has("ImageSetRequired")) {
                params.put("ImageSetRequired", true); // the copies' ids are what --wait waits for
            }
        }
        GlobalOptions.Settings settings = global.resolve(ctx);
        String region = action.regionRequired() ? settings.requireRegion() : settings.region();
        SignedClient client = settings.client();
        JsonNode answer;
        if (all) {
            answer = allPages(client, action, region, params);
        } else if (waiter != null) {
            answer = generic(client, action, region, params, waiter);
        } else {
            answer = client.call(action.name(), region, params);
        }
        print(answer, settings);
        if (rule != null) {
            new Waiters(client, ctx, waiting.interval(), waiting.maxWait()).await(rule.apply(params, answer).stream()
                    .map(t -> t.region() == null ? new Waiters.Target(t.condition(), t.id(), region) : t).toList());
        }
        return ExitCodes.OK;
    }

    /** AWS's auto-pagination: pages of the largest Limit until TotalCount, the lists merged into the last answer. */
    private static JsonNode allPages(SignedClient client, ActionDescription action, String region, ObjectNode params) {
        Member limit = action.member("Limit");
        if (action.member("Offset") == null || limit == null) {
            throw CliException.usage("--all needs an action with Offset and Limit; " + action.name() + " has none");
        }
        long pageSize = params.has("Limit") ? params.get("Limit").asLong() : limit.max() == null ? 100 : limit.max();
        long offset = params.path("Offset").asLong(0);
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        while (true) {
            params.put("Offset", offset).put("Limit", pageSize);
            JsonNode page = client.call(action.name(), region, params);
            String listName = listMember(page, action);
            JsonNode items = page.get(listName);
            merged.addAll((ArrayNode) items);
            offset += items.size();
            if (items.isEmpty() || offset >= page.path("TotalCount").asLong()) {
                ObjectNode result = ((ObjectNode) page).deepCopy();
                result.set(listName, merged);
                return result;
            }
        }
    }

    private static String listMember(JsonNode page, ActionDescription action) {
        if (!page.has("TotalCount")) {
            throw CliException.usage("--all: the answer of " + action.name() + " has no TotalCount");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = page.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                return e.getKey();
            }
        }
        throw CliException.usage("--all: the answer of " + action.name() + " has no list");
    }

    /** tccli's --waiter: call the action until the expression gives the value (JSON, or tccli's single quotes). */
    private JsonNode generic(SignedClient client, ActionDescription action, String region, ObjectNode params,
                             String spec) {
        JsonNode waiterSpec;
        try {
            waiterSpec = JSON.readTree(spec.trim().startsWith("{'") ? spec.replace('\'', '"') : spec);
        } catch (IOException e) {
            throw CliException.usage("--waiter expects {\"expr\": JMESPATH, \"to\": VALUE}, not `" + spec + "`");
        }
        String expr = waiterSpec.path("expr").asText(null);
        String to = waiterSpec.path("to").asText(null);
        if (expr == null || to == null) {
            throw CliException.usage("--waiter needs \"expr\" and \"to\"");
        }
        Duration timeout = Duration.ofSeconds(waiterSpec.path("timeout").asLong(180));
        Duration interval = Duration.ofMillis((long) (waiterSpec.path("interval").asDouble(5) * 1000));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode answer = client.call(action.name(), region, params);
            JsonNode value = Output.filter(answer, expr);
            if (value != null && !value.isNull() && Output.scalar(value).equals(to)) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(ExitCodes.WAIT_TIMEOUT, "--waiter: " + expr + " is "
                        + (value == null ? "null" : Output.scalar(value)) + ", not " + to + ", after "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
            }
        }
    }

    /** What --wait waits for after an action: the resources it names or returns. */
    @FunctionalInterface
    private interface WaitRule extends BiFunction<ObjectNode, JsonNode, List<Waiters.Target>> {
    }

    private static final Map<String, WaitRule> WAIT_RULES = Map.ofEntries(
            Map.entry("ImportImage", (p, a) -> one(Waiters.Condition.IMAGE_AVAILABLE, a.path("ImageId"))),
            Map.entry("CreateImage", (p, a) -> one(Waiters.Condition.IMAGE_AVAILABLE, a.path("ImageId"))),
            Map.entry("SyncImages", (p, a) -> {
                List<Waiters.Target> targets = new ArrayList<>();
                a.path("ImageSet").forEach(copy -> targets.add(new Waiters.Target(Waiters.Condition.IMAGE_AVAILABLE,
                        copy.path("ImageId").asText(), copy.path("Region").asText())));
                return targets;
            }),
            Map.entry("DeleteImages", (p, a) -> each(Waiters.Condition.IMAGE_DELETED, p.path("ImageIds"))),
            Map.entry("RunInstances", (p, a) -> each(Waiters.Condition.INSTANCE_RUNNING, a.path("InstanceIdSet"))),
            Map.entry("StartInstances", (p, a) -> each(Waiters.Condition.INSTANCE_RUNNING, p.path("InstanceIds"))),
            Map.entry("RebootInstances", (p, a) -> each(Waiters.Condition.INSTANCE_RUNNING, p.path("InstanceIds"))),
            Map.entry("StopInstances", (p, a) -> each(Waiters.Condition.INSTANCE_STOPPED, p.path("InstanceIds"))),
            Map.entry("TerminateInstances", (p, a) -> each(Waiters.Condition.INSTANCE_TERMINATED,
                    p.path("InstanceIds"))),
            Map.entry("ResetInstance", (p, a) -> one(Waiters.Condition.INSTANCE_RUNNING, p.path("InstanceId"))));

    private static List<Waiters.Target> one(Waiters.Condition condition, JsonNode id) {
        return id.isTextual() ? List.of(new Waiters.Target(condition, id.asText(), null)) : List.of();
    }

    private static List<Waiters.Target> each(Waiters.Condition condition, JsonNode ids) {
        List<Waiters.Target> targets = new ArrayList<>();
        ids.forEach(id -> targets.add(new Waiters.Target(condition, id.asText(), null)));
        return targets;
    }
}
