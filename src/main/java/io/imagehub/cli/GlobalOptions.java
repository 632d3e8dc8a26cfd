package io.imagehub.cli;

import io.imagehub.client.SignedClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * tccli's global options, shared by every client command. Each setting resolves as tccli resolves it: the flag,
 * then the environment, then the profile's files, then the default.
 */
public final class GlobalOptions {
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
    static final List<String> OUTPUTS = List.of("json", "table", "text");

    @Option(names = "--region", paramLabel = "REGION", description = "Region (env TENCENTCLOUD_REGION, profile region).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "http(s)://host:port or host:port (env IMAGEHUB_ENDPOINT, profile cvm.endpoint; default "
                    + DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "Profile in ~/.imagehub (env IMAGEHUB_PROFILE; default: default).")
    String profile;

    @Option(names = "--secretId", paramLabel = "ID", description = "SecretId (env TENCENTCLOUD_SECRET_ID, profile).")
    String secretId;

    @Option(names = "--secretKey", paramLabel = "KEY", description = "SecretKey (env TENCENTCLOUD_SECRET_KEY, profile).")
    String secretKey;

    @Option(names = "--output", paramLabel = "FORMAT", description = "json, table or text (profile output; default json).")
    String output;

    @Option(names = "--filter", paramLabel = "JMESPATH", description = "JMESPath expression applied to the answer.")
    String filter;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Seconds to wait for each answer (default 60).")
    Integer timeout;

    @Option(names = "--language", paramLabel = "LANG", description = "zh-CN or en-US (profile language).")
    String language;

    /** Everything a call needs, resolved. */
    public record Settings(URI endpoint, String secretId, String secretKey, String region, String output,
                           String filter, String language, Duration timeout, String profile) {

        public SignedClient client() {
            if (secretId == null || secretKey == null) {
                throw CliException.usage("no credentials: give --secretId and --secretKey, set TENCENTCLOUD_SECRET_ID "
                        + "and TENCENTCLOUD_SECRET_KEY, or run `imagehub configure" + profileFlag() + "`");
            }
            return new SignedClient(endpoint, secretId, secretKey, language, timeout);
        }

        public String requireRegion() {
            if (region == null) {
                throw CliException.usage("no region: give --region, set TENCENTCLOUD_REGION, or run "
                        + "`imagehub configure set region ap-guangzhou" + profileFlag() + "`");
            }
            return region;
        }

        private String profileFlag() {
            return profile.equals("default") ? "" : " --profile " + profile;
        }
    }

    public String profile(CliContext ctx) {
        return first(profile, ctx.env("IMAGEHUB_PROFILE"), "default");
    }

    public Settings resolve(CliContext ctx) {
        String profileName = profile(ctx);
        Profiles profiles = new Profiles(ctx.profileDir());
        String endpointText = first(endpoint, ctx.env("IMAGEHUB_ENDPOINT"), profiles.get(profileName, "cvm.endpoint"),
                DEFAULT_ENDPOINT);
        URI uri;
        try {
            uri = SignedClient.endpoint(endpointText);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--endpoint: " + e.getMessage());
        }
        String format = first(output, profiles.get(profileName, "output"), "json");
        if (!OUTPUTS.contains(format)) {
            throw CliException.usage("--output must be one of " + OUTPUTS + ", not `" + format + "`");
        }
        if (timeout != null && timeout <= 0) {
            throw CliException.usage("--timeout must be a positive number of seconds");
        }
        return new Settings(uri,
                first(secretId, ctx.env("TENCENTCLOUD_SECRET_ID"), profiles.get(profileName, "secretId")),
                first(secretKey, ctx.env("TENCENTCLOUD_SECRET_KEY"), profiles.get(profileName, "secretKey")),
                first(region, ctx.env("TENCENTCLOUD_REGION"), profiles.get(profileName, "region")),
                format, filter, first(language, profiles.get(profileName, "language")),
                Duration.ofSeconds(timeout == null ? 60 : timeout), profileName);
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isEmpty()) {
                return candidate;
            }
        }
        return null;
    }
}
