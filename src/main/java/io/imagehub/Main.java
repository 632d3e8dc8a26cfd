package io.imagehub;

import io.imagehub.cli.AccountCommand;
import io.imagehub.cli.AuditCommand;
import io.imagehub.cli.ServeCommand;
import io.imagehub.logging.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imagehub} command: serve, account, audit. */
@Command(name = "imagehub", mixinStandardHelpOptions = true, version = "imagehub 0.1.0",
        description = "A self-hostable cloud image service that speaks the Tencent Cloud API 3.0.",
        subcommands = {ServeCommand.class, AccountCommand.class, AuditCommand.class})
public final class Main {
    public static void main(String[] args) {
        Logging.bridgeJavaUtilLogging(); // before any library logs its first line in another format
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
