package io.imagehub.cli;

import io.imagehub.doctor.Doctor;
import io.imagehub.doctor.Finding;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", description = "Check what a node needs and print what to fix.",
        footer = "Checks: JDK, data dir (writable, free space), database (reachable, migrated), each chunk store, qemu-img, clock.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    NodeOptions where;
    @Spec
    CommandSpec spec;

    /** Exit code 0 when nothing failed (warnings allowed), 1 otherwise. */
    @Override
    public Integer call() throws Exception {
        List<Finding> findings = new Doctor(where.config()).examine();
        PrintWriter out = spec.commandLine().getOut();
        for (Finding finding : findings) {
            out.printf("%-5s %-20s %s%n", finding.verdict().name().toLowerCase(), finding.subject(), finding.detail());
            if (finding.fix() != null) {
                out.printf("%-26s fix: %s%n", "", finding.fix());
            }
        }
        long failed = findings.stream().filter(f -> f.verdict() == Finding.Verdict.FAIL).count();
        long warned = findings.stream().filter(f -> f.verdict() == Finding.Verdict.WARN).count();
        out.println(failed == 0 && warned == 0 ? "all checks passed"
                : failed + " failed, " + warned + " warning" + (warned == 1 ? "" : "s"));
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
