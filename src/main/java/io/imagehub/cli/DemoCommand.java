package io.imagehub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "On a running server: alice, bob and an image shared with bob.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;
    @Option(names = "--force", description = "Also on a database that holds other accounts (default: refuse).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        return Demo.runAndReport(admin.endpoint, admin.client(), admin.dataDir, force);
    }
}
