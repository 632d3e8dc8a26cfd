package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.client.SignedClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named waiters: poll until images or instances reach a state, failing fast (with the reason the service gives)
 * when they reach a failed one instead of polling to a timeout as tccli does. Ctrl-C stops the waiting, never the
 * job, and says how to wait again.
 */
final class Waiters {

    enum Condition {
        IMAGE_AVAILABLE("image-available", true),
        IMAGE_DELETED("image-deleted", true),
        INSTANCE_RUNNING("instance-running", false),
        INSTANCE_STOPPED("instance-stopped", false),
        INSTANCE_TERMINATED("instance-terminated", false);

        final String command;
        final boolean image;

        Condition(String command, boolean image) {
            this.command = command;
            this.image = image;
        }

        static Condition named(String command) {
            return Arrays.stream(values()).filter(c -> c.command.equals(command)).findFirst().orElseThrow(() ->
                    CliException.usage("no waiter `" + command + "`; waiters: "
                            + String.join(", ", Arrays.stream(values()).map(c -> c.command).toList())));
        }
    }

    /** One resource to wait for, in its region. */
    record Target(Condition condition, String id, String region) {
        String resumeCommand() {
            return "imagehub wait " + condition.command + (condition.image ? " --image-id " : " --instance-id ") + id
                    + " --region " + region;
        }
    }

    private final SignedClient client;
    private final CliContext ctx;
    private final Duration interval;
    private final Duration maxWait;

    Waiters(SignedClient client, CliContext ctx, Duration interval, Duration maxWait) {
        this.client = client;
        this.ctx = ctx;
        this.interval = interval;
        this.maxWait = maxWait;
    }

    /** What one poll saw: done, failed (with why), or still under way (with a percent when known). */
    private record Seen(boolean done, String failure, String state, Long percent) {
    }

    void await(List<Target> targets) {
        Thread resumeHint = new Thread(() -> {
            ctx.err().println();
            ctx.err().println("imagehub: stopped waiting; the operation goes on. Wait again with:");
            targets.forEach(t -> ctx.err().println("  " + t.resumeCommand()));
        });
        Runtime.getRuntime().addShutdownHook(resumeHint);
        Progress progress = Progress.forContext(ctx);
        Map<Target, Progress.Task> tasks = new LinkedHashMap<>();
        try {
            List<Target> pending = new ArrayList<>(targets);
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (true) {
                for (Target target : List.copyOf(pending)) {
                    Seen seen = poll(target);
                    Progress.Task task = tasks.computeIfAbsent(target, t -> progress.task(
                            t.region() + " " + t.id(), 100, false));
                    if (seen.failure() != null) {
                        throw new CliException(ExitCodes.WAIT_FAILED, target.id() + " in " + target.region() + ": "
                                + seen.failure());
                    }
                    task.update(seen.done() ? 100 : seen.percent() == null ? 0 : seen.percent(), seen.state());
                    if (seen.done()) {
                        pending.remove(target);
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new CliException(ExitCodes.WAIT_TIMEOUT, "still waiting after " + maxWait.toSeconds()
                            + " s; the operation goes on. Wait again with: " + pending.get(0).resumeCommand());
                }
                sleep(interval);
            }
        } finally {
            tasks.values().forEach(Progress.Task::close);
            try {
                Runtime.getRuntime().removeShutdownHook(resumeHint);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and prints the hint
            }
        }
    }

    private Seen poll(Target target) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        if (target.condition().image) {
            params.putArray("ImageIds").add(target.id());
            JsonNode image = client.call("DescribeImages", target.region(), params).path("ImageSet").path(0);
            return image.isMissingNode() ? gone(target) : image(target.condition(), image);
        }
        params.putArray("InstanceIds").add(target.id());
        JsonNode instance = client.call("DescribeInstances", target.region(), params).path("InstanceSet").path(0);
        return instance.isMissingNode() ? gone(target) : instance(target.condition(), instance);
    }

    private static Seen gone(Target target) {
        boolean wanted = target.condition() == Condition.IMAGE_DELETED
                || target.condition() == Condition.INSTANCE_TERMINATED;
        return wanted ? new Seen(true, null, "gone", 100L)
                : new Seen(false, "it does not exist (deleted, or not visible to this account)", null, null);
    }

    private static Seen image(Condition condition, JsonNode image) {
        String state = image.path("ImageState").asText();
        if (condition == Condition.IMAGE_DELETED) {
            return new Seen(false, null, state, null);
        }
        return switch (state) {
            case "NORMAL" -> new Seen(true, null, state, 100L);
            case "IMPORTFAILED", "CREATEFAILED" -> new Seen(false, state + reason(image), state, null);
            default -> new Seen(false, null, state, image.hasNonNull("SyncPercent")
                    ? image.get("SyncPercent").asLong() : null);
        };
    }

    private static String reason(JsonNode image) {
        String reason = image.path("ImagehubFailureReason").asText("");
        return reason.isEmpty() ? "" : ": " + reason;
    }

    private static Seen instance(Condition condition, JsonNode instance) {
        String state = instance.path("InstanceState").asText();
        if (state.equals("LAUNCH_FAILED")) {
            return new Seen(false, "LAUNCH_FAILED (" + instance.path("LatestOperation").asText() + " "
                    + instance.path("LatestOperationState").asText() + ")", state, null);
        }
        String wanted = switch (condition) {
            case INSTANCE_RUNNING -> "RUNNING";
            case INSTANCE_STOPPED -> "STOPPED";
            default -> null;
        };
        if ("FAILED".equals(instance.path("LatestOperationState").asText()) && !state.equals(wanted)) {
            return new Seen(false, instance.path("LatestOperation").asText() + " FAILED; the instance is " + state,
                    state, null);
        }
        return new Seen(state.equals(wanted), null, state, state.equals(wanted) ? 100L : null);
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }
}
