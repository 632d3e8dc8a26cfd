package io.imagehub.cli;

import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = {"Wait for an image or instance state; fail fast if it fails.",
        "Fails at once (exit 4) on IMPORTFAILED, CREATEFAILED or LAUNCH_FAILED.",
        "Waiters: image-available, image-deleted, instance-running, instance-stopped, instance-terminated."})
public final class WaitCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "WAITER", description = "image-available, image-deleted, instance-running, "
            + "instance-stopped or instance-terminated")
    String waiter;

    @ArgGroup(multiplicity = "1")
    Resource resource;

    static final class Resource {
        @Option(names = "--image-id", paramLabel = "IMAGE_ID", required = true)
        String imageId;

        @Option(names = "--instance-id", paramLabel = "INSTANCE_ID", required = true)
        String instanceId;
    }

    @Mixin
    WaitOptions waiting = new WaitOptions();

    WaitCommand() {
        this(CliContext.system());
    }

    WaitCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    int run() {
        Waiters.Condition condition = Waiters.Condition.named(waiter);
        String id = condition.image ? resource.imageId : resource.instanceId;
        if (id == null) {
            throw CliException.usage(waiter + " waits for " + (condition.image ? "an image: give --image-id IMAGE_ID"
                    : "an instance: give --instance-id INSTANCE_ID"));
        }
        GlobalOptions.Settings settings = global.resolve(ctx);
        new Waiters(settings.client(), ctx, waiting.interval(), waiting.maxWait())
                .await(List.of(new Waiters.Target(condition, id, settings.requireRegion())));
        return ExitCodes.OK;
    }
}
