package io.imagehub.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * tccli's {@code configure}: asked interactively (endpoint, SecretId, SecretKey, region, output; Enter keeps the
 * value shown), or {@code configure set KEY VALUE [KEY VALUE]...}, {@code get KEY...}, {@code list}.
 */
@Command(name = "configure", description = {"Set up a profile: endpoint, keys, region and output.",
        "Asks for the endpoint, SecretId, SecretKey, region and output of a profile "
        + "(~/.imagehub/<profile>.credential and .configure, tccli's format, mode 0600).",
        "Settings: secretId, secretKey, region, output, language, cvm.endpoint."},
        subcommands = {ConfigureCommand.Set.class, ConfigureCommand.Get.class, ConfigureCommand.ListSettings.class})
public final class ConfigureCommand extends ClientCommand {

    ConfigureCommand() {
        this(CliContext.system());
    }

    ConfigureCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    int run() throws IOException {
        String profile = global.profile(ctx);
        Profiles profiles = new Profiles(ctx.profileDir());
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
        Map<String, String> answers = new LinkedHashMap<>();
        String endpoint = profiles.get(profile, "cvm.endpoint");
        ask(in, answers, "cvm.endpoint", "imagehub endpoint[" + (endpoint == null ? GlobalOptions.DEFAULT_ENDPOINT
                : endpoint) + "]: ", endpoint == null ? GlobalOptions.DEFAULT_ENDPOINT : null);
        String secretId = profiles.get(profile, "secretId");
        ask(in, answers, "secretId", "TencentCloud API secretId" + masked(secretId) + ":", null);
        String secretKey = profiles.get(profile, "secretKey");
        ask(in, answers, "secretKey", "TencentCloud API secretKey" + masked(secretKey) + ":", null);
        String region = profiles.get(profile, "region");
        ask(in, answers, "region", "region" + (region == null ? "" : "[" + region + "]") + ": ", null);
        String output = profiles.get(profile, "output");
        ask(in, answers, "output", "output[" + (output == null ? "json" : output) + "]: ", output == null ? "json" : null);
        if (answers.containsKey("output") && !GlobalOptions.OUTPUTS.contains(answers.get("output"))) {
            throw CliException.usage("output must be one of " + GlobalOptions.OUTPUTS);
        }
        if (!answers.isEmpty()) {
            profiles.set(profile, answers);
        }
        return ExitCodes.OK;
    }

    private void ask(BufferedReader in, Map<String, String> answers, String key, String prompt, String fallback)
            throws IOException {
        ctx.err().print(prompt);
        ctx.err().flush();
        String line = in.readLine();
        String value = line == null ? "" : line.trim();
        if (!value.isEmpty()) {
            answers.put(key, value);
        } else if (fallback != null) {
            answers.put(key, fallback);
        }
    }

    private static String masked(String secret) {
        return secret == null ? "" : " [" + Profiles.mask(secret) + "]";
    }

    @Command(name = "set", description = "Sets settings: imagehub configure set region ap-guangzhou output json")
    static final class Set extends ClientCommand {
        @Parameters(paramLabel = "KEY VALUE", arity = "2..*")
        List<String> pairs;

        Set() {
            this(CliContext.system());
        }

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            if (pairs.size() % 2 != 0) {
                throw CliException.usage("configure set takes KEY VALUE pairs, e.g. "
                        + "imagehub configure set region ap-guangzhou output json");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i += 2) {
                if (pairs.get(i).equals("output") && !GlobalOptions.OUTPUTS.contains(pairs.get(i + 1))) {
                    throw CliException.usage("output must be one of " + GlobalOptions.OUTPUTS);
                }
                values.put(pairs.get(i), pairs.get(i + 1));
            }
            new Profiles(ctx.profileDir()).set(global.profile(ctx), values);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Prints settings: imagehub configure get region")
    static final class Get extends ClientCommand {
        @Parameters(paramLabel = "KEY", arity = "1..*")
        List<String> keys;

        Get() {
            this(CliContext.system());
        }

        Get(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            Profiles profiles = new Profiles(ctx.profileDir());
            String profile = global.profile(ctx);
            for (String key : keys) {
                String value = profiles.get(profile, key);
                if (value == null) {
                    throw CliException.usage(key + " is not set in the profile " + profile);
                }
                ctx.out().println(key + " = " + value);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Prints the profile's settings, secrets masked.")
    static final class ListSettings extends ClientCommand {
        ListSettings() {
            this(CliContext.system());
        }

        ListSettings(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            new Profiles(ctx.profileDir()).list(global.profile(ctx)).forEach(ctx.out()::println);
            return ExitCodes.OK;
        }
    }
}
