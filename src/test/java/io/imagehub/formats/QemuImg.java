package io.imagehub.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The tests' one disk-image generator: real files made by {@code qemu-img} (Debian's qemu-utils, which .ci/run
 * installs), and the byte patches that make the hostile variants qemu-img refuses to write.
 */
public final class QemuImg {
    private QemuImg() {
    }

    /** Runs qemu-img with {@code args}; fails the test with its output if it fails. */
    public static String run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("qemu-img " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }

    /** An empty image of {@code virtualBytes} in {@code format} (qemu's name), with {@code -o options} if given. */
    public static Path create(Path dir, String name, String format, long virtualBytes, String options)
            throws IOException {
        Path file = dir.resolve(name);
        if (options == null) {
            run("create", "-q", "-f", format, file.toString(), Long.toString(virtualBytes));
        } else {
            run("create", "-q", "-f", format, "-o", options, file.toString(), Long.toString(virtualBytes));
        }
        return file;
    }

    /** {@code bytes} of seeded noise as a raw file: content every format must map to data clusters. */
    public static Path noise(Path dir, String name, int bytes, long seed) throws IOException {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    /** {@code source} (of qemu format {@code from}) converted to {@code to}, with {@code -o options} if given. */
    public static Path convert(Path source, String from, Path target, String to, String options) throws IOException {
        if (options == null) {
            run("convert", "-q", "-f", from, "-O", to, source.toString(), target.toString());
        } else {
            run("convert", "-q", "-f", from, "-O", to, "-o", options, source.toString(), target.toString());
        }
        return target;
    }

    /** What {@code qemu-img info -f format} says the virtual size is. */
    public static long virtualSize(Path file, String format) throws IOException {
        JsonNode info = new ObjectMapper().readTree(run("info", "--output=json", "-f", format, file.toString()));
        return info.get("virtual-size").asLong();
    }

    /** A copy of {@code file} with {@code bytes} written at {@code offset}. */
    public static Path patched(Path file, String name, long offset, byte[] bytes) throws IOException {
        byte[] data = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
        return Files.write(file.resolveSibling(name), data);
    }

    /** A copy of {@code file} cut to its first {@code length} bytes. */
    public static Path truncated(Path file, String name, long length) throws IOException {
        byte[] data = Files.readAllBytes(file);
        return Files.write(file.resolveSibling(name), java.util.Arrays.copyOf(data, (int) length));
    }
}
