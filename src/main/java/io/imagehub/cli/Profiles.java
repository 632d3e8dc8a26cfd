package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Profiles in tccli's own files and format, under {@code ~/.imagehub} instead of {@code ~/.tccli}:
 * {@code <profile>.credential} ({"secretId", "secretKey"}) and {@code <profile>.configure}
 * ({"_sys_param": {"region", "output", "language", ...}, "cvm": {"endpoint", "version"}}), so a tccli profile
 * copied over works once its {@code cvm.endpoint} names this service. Both are written with mode 0600.
 */
public final class Profiles {
    static final String SYS_PARAM = "_sys_param";
    static final List<String> CREDENTIAL_KEYS = List.of("secretId", "secretKey");
    static final List<String> CONFIG_KEYS = List.of("region", "output", "language", "arrayCount", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public Profiles(Path dir) {
        this.dir = dir;
    }

    public ObjectNode credential(String profile) {
        return read(dir.resolve(profile + ".credential"));
    }

    public ObjectNode configure(String profile) {
        return read(dir.resolve(profile + ".configure"));
    }

    /** A setting by tccli's name: secretId, secretKey, region, output, language, or {@code cvm.endpoint}. */
    public String get(String profile, String key) {
        if (CREDENTIAL_KEYS.contains(key)) {
            return text(credential(profile).get(key));
        }
        ObjectNode configure = configure(profile);
        if (CONFIG_KEYS.contains(key)) {
            return text(configure.path(SYS_PARAM).get(key));
        }
        String[] parts = key.split("\\.", 2);
        return parts.length == 2 ? text(configure.path(parts[0]).get(parts[1])) : null;
    }

    /** Sets settings as tccli's {@code configure set} does: credentials in one file, the rest in the other. */
    public void set(String profile, Map<String, String> values) {
        ObjectNode credential = credential(profile);
        ObjectNode configure = configure(profile);
        boolean credentialChanged = false;
        boolean configureChanged = false;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (CREDENTIAL_KEYS.contains(key)) {
                credential.put(key, e.getValue());
                credentialChanged = true;
            } else if (CONFIG_KEYS.contains(key)) {
                sysParam(configure).put(key, e.getValue());
                configureChanged = true;
            } else if (key.matches("[a-z]+\\.[A-Za-z]+")) {
                String[] parts = key.split("\\.", 2);
                JsonNode service = configure.get(parts[0]);
                (service instanceof ObjectNode o ? o : configure.putObject(parts[0])).put(parts[1], e.getValue());
                configureChanged = true;
            } else {
                throw CliException.usage("unknown setting `" + key + "`; settings are " + CREDENTIAL_KEYS + ", "
                        + CONFIG_KEYS + " and cvm.endpoint");
            }
        }
        if (configureChanged) {
            configure.with("cvm").put("version", "2017-03-12");
            sysParam(configure);
            write(dir.resolve(profile + ".configure"), configure);
        }
        if (credentialChanged) {
            write(dir.resolve(profile + ".credential"), credential);
        }
    }

    /** tccli's {@code configure list}: credentials masked but for their last four characters. */
    public List<String> list(String profile) {
        List<String> lines = new ArrayList<>();
        lines.add("credential:");
        ObjectNode credential = credential(profile);
        for (String key : CREDENTIAL_KEYS) {
            String value = text(credential.get(key));
            if (value != null) {
                lines.add(key + " = " + mask(value));
            }
        }
        lines.add("configure:");
        ObjectNode configure = configure(profile);
        for (String key : CONFIG_KEYS) {
            String value = text(configure.path(SYS_PARAM).get(key));
            if (value != null) {
                lines.add(key + " = " + value);
            }
        }
        configure.fields().forEachRemaining(service -> {
            if (!service.getKey().equals(SYS_PARAM) && service.getValue().isObject()) {
                service.getValue().fields().forEachRemaining(setting -> lines.add(service.getKey() + "."
                        + setting.getKey() + " = " + setting.getValue().asText()));
            }
        });
        return lines;
    }

    /** As tccli's prompt shows a secret: {@code *} and its last four characters. */
    static String mask(String secret) {
        return secret.length() <= 4 ? "****" : "*" + secret.substring(secret.length() - 4);
    }

    private static ObjectNode sysParam(ObjectNode configure) {
        JsonNode sys = configure.get(SYS_PARAM);
        return sys instanceof ObjectNode o ? o : configure.putObject(SYS_PARAM);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a JSON profile file: " + e.getMessage());
        }
        throw new CliException(ExitCodes.USAGE, file + " is not a JSON object");
    }

    /**
     * Written as tccli writes it (json.dumps, indent 4) to a 0600 temporary file and moved into place, so the
     * secret is never readable by others.
     */
    private void write(Path file, ObjectNode content) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Path temp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                Files.createFile(temp);
            }
            Files.writeString(temp, Output.json(content) + "\n");
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
