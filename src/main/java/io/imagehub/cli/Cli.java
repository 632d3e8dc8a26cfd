package io.imagehub.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs the {@code imagehub} command with a given {@link CliContext} (tests drive the real CLI this way with their
 * own streams, $HOME and environment); {@code Main} runs it with the process's.
 */
public final class Cli {
    private Cli() {
    }

    public static int run(Object root, CliContext ctx, String... args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cmd = new CommandLine(root, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (ClientCommand.class.isAssignableFrom(type)) {
                    var constructor = type.getDeclaredConstructor(CliContext.class);
                    constructor.setAccessible(true);
                    return constructor.newInstance(ctx);
                }
                return defaults.create(type);
            }
        });
        cmd.setOut(new PrintWriter(ctx.out(), true));
        cmd.setErr(new PrintWriter(ctx.err(), true));
        return cmd.execute(args);
    }
}
