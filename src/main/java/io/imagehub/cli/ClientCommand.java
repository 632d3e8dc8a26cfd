package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagehub.client.SignedClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that is a client of the public API (cvm, wait, image, configure, completion): tccli's global options,
 * the streams and environment of {@link CliContext}, and one mapping of failures onto {@link ExitCodes}.
 * Nothing but the result goes to stdout.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    final CliContext ctx;

    ClientCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    abstract int run() throws Exception;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (CliException e) {
            ctx.err().println("imagehub: " + e.getMessage());
            return e.exitCode();
        } catch (SignedClient.ApiError e) {
            ctx.err().println("[" + e.code() + "] " + e.getMessage() + " (RequestId " + e.requestId() + ")");
            return ExitCodes.API_ERROR;
        } catch (SignedClient.TransportError e) {
            ctx.err().println("imagehub: " + e.getMessage());
            return ExitCodes.TRANSPORT;
        }
    }

    /** Prints an answer with --filter and --output applied. */
    void print(JsonNode answer, GlobalOptions.Settings settings) {
        ctx.out().print(Output.render(Output.filter(answer, settings.filter()), settings.output(), ctx.terminal(),
                ctx.columns()));
        ctx.out().flush();
    }
}
