package io.imagehub;

import io.imagehub.cli.AccountCommand;
import io.imagehub.cli.AuditCommand;
import io.imagehub.cli.BackupCommand;
import io.imagehub.cli.CompletionCommand;
import io.imagehub.cli.ConfigureCommand;
import io.imagehub.cli.CvmCommand;
import io.imagehub.cli.DemoCommand;
import io.imagehub.cli.DoctorCommand;
import io.imagehub.cli.ImageCommand;
import io.imagehub.cli.RestoreCommand;
import io.imagehub.cli.ServeCommand;
import io.imagehub.cli.VersionProvider;
import io.imagehub.cli.WaitCommand;
import io.imagehub.logging.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code imagehub} command; without a subcommand it prints the usage, which lists every subcommand. */
@Command(name = "imagehub", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A self-hostable cloud image service that speaks the Tencent Cloud API 3.0.",
        subcommands = {ServeCommand.class, AccountCommand.class, AuditCommand.class, DoctorCommand.class,
                BackupCommand.class, RestoreCommand.class, DemoCommand.class,
                CvmCommand.class, ImageCommand.class, WaitCommand.class, ConfigureCommand.class, CompletionCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Logging.bridgeJavaUtilLogging(); // before any library logs its first line in another format
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
