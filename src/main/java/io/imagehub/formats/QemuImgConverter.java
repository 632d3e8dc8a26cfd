package io.imagehub.formats;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Conversion between disk formats, which is qemu's job: {@code qemu-img convert} in a child process, the source
 * format always given ({@code -f}: never probed, so a RAW image that looks like a QCOW2 stays RAW), under CPU-time
 * and address-space limits set by {@code prlimit} in the child, and a wall-clock bound after which it is killed.
 */
public final class QemuImgConverter {
    /** Bounds of one conversion. */
    public record Limits(long cpuSeconds, long memoryBytes, Duration wallClock) {
        public static final Limits DEFAULT = new Limits(3600, 2L << 30, Duration.ofHours(2));
    }

    private static final int MAX_OUTPUT_CHARS = 2000;
    private final Limits limits;

    public QemuImgConverter(Limits limits) {
        this.limits = limits;
    }

    /** Writes {@code source} (a {@code from} disk) to {@code target} as a {@code to} disk of the same virtual size. */
    public void convert(Path source, DiskFormat from, Path target, DiskFormat to) throws IOException {
        List<String> command = new ArrayList<>(List.of("prlimit", "--cpu=" + limits.cpuSeconds(),
                "--as=" + limits.memoryBytes(), "--", "qemu-img", "convert", "-q", "-f", from.qemuName(),
                "-O", to.qemuName()));
        String options = outputOptions(to);
        if (options != null) {
            command.addAll(List.of("-o", options));
        }
        command.addAll(List.of(source.toString(), target.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            byte[] output = process.getInputStream().readNBytes(MAX_OUTPUT_CHARS);
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!process.waitFor(limits.wallClock().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("qemu-img convert took longer than " + limits.wallClock());
            }
            if (process.exitValue() != 0) {
                throw new IOException("qemu-img convert to " + to.id() + " failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while converting", e);
        }
    }

    /** VHD: keep the exact virtual size (qemu would round it to a CHS geometry otherwise). */
    private static String outputOptions(DiskFormat to) {
        return to == DiskFormat.VHD ? "subformat=dynamic,force_size=on" : null;
    }
}
