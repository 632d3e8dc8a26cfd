package io.imagehub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.Main;
import io.imagehub.it.FileServer;
import io.imagehub.it.ImageBytes;
import io.imagehub.it.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI (its main, with captured streams, $HOME and environment) against a real server. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;

    @TempDir
    Path home;
    private final Map<String, String> env = new HashMap<>();

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.importAllow.add(files.brokenBaseUrl());
            c.instanceTransitionMillis = 50;
        });
        alice = server.createAccount("cli");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @BeforeEach
    void credentials() {
        env.put("HOME", home.toString());
        env.put("IMAGEHUB_ENDPOINT", server.endpoint());
        env.put("TENCENTCLOUD_SECRET_ID", alice.secretId());
        env.put("TENCENTCLOUD_SECRET_KEY", alice.secretKey());
        env.put("TENCENTCLOUD_REGION", "ap-guangzhou");
    }

    private Run run(String... args) {
        return runWithInput("", args);
    }

    private Run runWithInput(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(Map.copyOf(env), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        int exit = Cli.run(new Main(), ctx, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonIsTheResponsePrettyPrintedAsTccliPrintsItAndNothingElseGoesToStdout() throws Exception {
        Run run = run("cvm", "DescribeRegions");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.json().path("RegionSet").size()).isEqualTo(run.json().path("TotalCount").asInt());
        assertThat(run.out()).startsWith("{\n    \"TotalCount\": ").contains("\"RequestId\": ").contains("华南地区");
        assertThat(run("cvm", "DescribeImages").out()).as("empty lists as Python prints them")
                .contains("\"SnapshotSet\": []");
    }

    @Test
    void tableShowsIdsNamesAndStatesFirstAndTextIsTabSeparatedAfterTheFilter() {
        Run table = run("cvm", "DescribeImages", "--output", "table");
        assertThat(table.exit()).isZero();
        String header = table.out().lines().filter(l -> l.startsWith("| ImageId")).findFirst().orElseThrow();
        assertThat(header.indexOf("ImageName")).isLessThan(header.indexOf("ImageState"));
        assertThat(header.indexOf("ImageState")).isLessThan(header.indexOf("CreatedTime"));
        assertThat(table.out()).contains("ImageSet (").contains("| TotalCount");

        Run text = run("cvm", "DescribeImages", "--filter", "ImageSet[].{id:ImageId,state:ImageState}", "--output", "text");
        assertThat(text.out().lines().toList()).isNotEmpty().allMatch(l -> l.matches("img-[a-z0-9]{8}\tNORMAL"));
    }

    @Test
    void unfoldedArgumentsInputJsonAndPlainJsonArgumentsBuildTheSameRequest() throws Exception {
        Path input = home.resolve("input.json");
        Files.writeString(input, "{\"Filters\":[{\"Name\":\"image-type\",\"Values\":[\"PUBLIC_IMAGE\"]}]}");
        String filter = "ImageSet[].ImageType";
        Run unfolded = run("cvm", "DescribeImages", "--cli-unfold-argument", "--Filters.0.Name", "image-type",
                "--Filters.0.Values", "PUBLIC_IMAGE", "--filter", filter);
        Run fromFile = run("cvm", "DescribeImages", "--cli-input-json", "file://" + input, "--filter", filter);
        Run plain = run("cvm", "DescribeImages", "--Filters", "[{\"Name\":\"image-type\",\"Values\":[\"PUBLIC_IMAGE\"]}]",
                "--filter", filter);
        assertThat(unfolded.json()).isNotEmpty().allMatch(t -> t.asText().equals("PUBLIC_IMAGE"));
        assertThat(fromFile.out()).isEqualTo(unfolded.out());
        assertThat(plain.out()).isEqualTo(unfolded.out());
        Run none = run("cvm", "DescribeImages", "--cli-unfold-argument", "--Filters.0.Name", "image-type",
                "--Filters.0.Values", "SHARED_IMAGE", "--Limit", "5");
        assertThat(none.json().path("TotalCount").asInt()).isZero();
    }

    @Test
    void theSkeletonListsTheMembersAndCallsNothing() throws Exception {
        env.put("IMAGEHUB_ENDPOINT", "127.0.0.1:1");
        Run run = run("cvm", "ModifyImageSharePermission", "--generate-cli-skeleton");
        assertThat(run.exit()).isZero();
        assertThat(run.json().fieldNames()).toIterable().containsExactlyElementsOf(
                io.imagehub.api.ActionRegistry.catalogue().descriptions().stream()
                        .filter(a -> a.name().equals("ModifyImageSharePermission")).findFirst().orElseThrow()
                        .members().stream().map(io.imagehub.api.ActionDescription.Member::name).toList())
                .startsWith("ImageId", "AccountIds", "Permission");
        assertThat(run.json().path("AccountIds").isArray()).isTrue();
        Run help = run("cvm", "DescribeImages", "help");
        assertThat(help.out()).contains("--Filters (Array of Filter)").contains("at most 10 elements");
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheProfile() throws Exception {
        Run set = run("configure", "set", "region", "ap-beijing", "output", "text");
        assertThat(set.exit()).isZero();
        String zone = "ZoneSet[0].Zone";
        env.remove("TENCENTCLOUD_REGION");
        assertThat(run("cvm", "DescribeZones", "--filter", zone).out()).startsWith("ap-beijing-");
        env.put("TENCENTCLOUD_REGION", "ap-shanghai");
        assertThat(run("cvm", "DescribeZones", "--filter", zone).out()).startsWith("ap-shanghai-");
        assertThat(run("cvm", "DescribeZones", "--filter", zone, "--region", "ap-guangzhou").out())
                .startsWith("ap-guangzhou-");
        env.put("TENCENTCLOUD_SECRET_KEY", "wrong");
        assertThat(run("cvm", "DescribeZones", "--secretKey", alice.secretKey()).exit()).isZero();
    }

    @Test
    void configureAsksAsTccliDoesAndWritesItsFilesPrivately() throws Exception {
        env.remove("TENCENTCLOUD_SECRET_ID");
        env.remove("TENCENTCLOUD_SECRET_KEY");
        env.remove("IMAGEHUB_ENDPOINT");
        Run configure = runWithInput("http://" + server.endpoint() + "\n" + alice.secretId() + "\n" + alice.secretKey()
                + "\nap-guangzhou\n\n", "configure", "--profile", "work");
        assertThat(configure.exit()).isZero();
        assertThat(configure.err()).contains("TencentCloud API secretId:").contains("region: ").contains("output[json]: ");
        Path credential = home.resolve(".imagehub/work.credential");
        assertThat(Files.getPosixFilePermissions(credential)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(JSON.readTree(credential.toFile()).path("secretKey").asText()).isEqualTo(alice.secretKey());
        JsonNode configureFile = JSON.readTree(home.resolve(".imagehub/work.configure").toFile());
        assertThat(configureFile.at("/_sys_param/region").asText()).isEqualTo("ap-guangzhou");
        assertThat(configureFile.at("/cvm/endpoint").asText()).isEqualTo("http://" + server.endpoint());

        assertThat(run("cvm", "DescribeRegions", "--profile", "work").exit()).isZero();
        Run list = run("configure", "list", "--profile", "work");
        assertThat(list.out()).contains("secretKey = *" + alice.secretKey().substring(alice.secretKey().length() - 4))
                .doesNotContain(alice.secretKey());
        assertThat(run("configure", "get", "region", "--profile", "work").out()).isEqualTo("region = ap-guangzhou\n");
    }

    @Test
    void anApiErrorPrintsCodeMessageAndRequestIdOnStderrAndExitsOne() {
        Run run = run("cvm", "DescribeImages", "--ImageIds", "[\"img-bad\"]");
        assertThat(run.exit()).isEqualTo(ExitCodes.API_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).matches("(?s)\\[InvalidImageId.Malformed] .+ \\(RequestId [0-9a-f-]{36}\\)\n");
    }

    @Test
    void usageAndTransportErrorsHaveTheirOwnExitCodesAndNameTheFix() {
        Run unknown = run("cvm", "DescribeImages", "--Limt", "3");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--Limt is not a parameter of DescribeImages").contains("--Limit");
        Run type = run("cvm", "DescribeImages", "--Limit", "many");
        assertThat(type.err()).contains("--Limit is an Integer");
        Run json = run("cvm", "DescribeImages", "--Filters", "image-type");
        assertThat(json.err()).contains("give it as JSON, e.g. '[{\"Name\": \"\",\"Values\": [\"\"]}]'");
        assertThat(run("cvm", "DescribeImagez").err()).contains("did you mean DescribeImages?");
        env.put("IMAGEHUB_ENDPOINT", "127.0.0.1:1");
        Run down = run("cvm", "DescribeRegions");
        assertThat(down.exit()).isEqualTo(ExitCodes.TRANSPORT);
        assertThat(down.err()).contains("cannot reach http://127.0.0.1:1");
    }

    @Test
    void aLocalMultiChunkFileImportsInOneCommandWithSha256sumsDigestAndExportsBack() throws Exception {
        Path disk = home.resolve("disk.raw");
        Files.write(disk, ImageBytes.disk(2 * 4 * 1024 * 1024 + 4321, 31));
        Process sha256sum = new ProcessBuilder("sha256sum", disk.toString()).start();
        String expected = "sha256:" + new String(sha256sum.getInputStream().readAllBytes()).split(" ")[0];

        Run imported = run("image", "import", disk.toString(), "--name", "laptop", "--os-type", "CentOS",
                "--os-version", "7", "--wait", "--verify");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.json().path("ImagehubSha256").asText()).isEqualTo(expected);
        String imageId = imported.json().path("ImageId").asText();
        assertThat(imported.err()).contains("upload " + imageId + ": 100%");
        assertThat(run("cvm", "DescribeImages", "--ImageIds", "[\"" + imageId + "\"]", "--filter",
                "ImageSet[0].[ImageState,ImagehubSha256]", "--output", "text").out())
                .isEqualTo("NORMAL\t" + expected + "\n");

        Path back = home.resolve("back.raw");
        Run exported = run("image", "export", imageId, "--to", back.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(Files.mismatch(disk, back)).isEqualTo(-1);
    }

    @Test
    void waitFailsFastWithTheStateWhenAnImportFails() throws Exception {
        files.put("cut.raw", ImageBytes.disk(1 << 20, 32));
        Run started = run("cvm", "ImportImage", "--ImageName", "cut", "--OsType", "CentOS", "--OsVersion", "7",
                "--Architecture", "x86_64", "--ImageUrl", files.truncatedUrl("cut.raw"), "--wait", "--interval", "0.1");
        assertThat(started.exit()).isEqualTo(ExitCodes.WAIT_FAILED);
        assertThat(started.err()).contains("IMPORTFAILED: the download");
        String imageId = started.json().path("ImageId").asText();
        Run waited = run("wait", "image-available", "--image-id", imageId, "--interval", "0.1");
        assertThat(waited.exit()).isEqualTo(ExitCodes.WAIT_FAILED);
        assertThat(waited.err()).contains(imageId).contains("IMPORTFAILED");
        Run deleted = run("cvm", "DeleteImages", "--ImageIds", "[\"" + imageId + "\"]", "--wait", "--interval", "0.1");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(run("wait", "image-deleted", "--image-id", imageId).exit()).isZero();
    }

    @Test
    void instancesAreWaitedForThroughTheirLifeAndANamedWaiterTimesOut() throws Exception {
        files.put("boot.raw", ImageBytes.disk(1 << 20, 33));
        String imageId = run("cvm", "ImportImage", "--ImageName", "boot", "--OsType", "CentOS", "--OsVersion", "7",
                "--Architecture", "x86_64", "--ImageUrl", files.baseUrl() + "boot.raw", "--wait", "--interval", "0.1")
                .json().path("ImageId").asText();
        Run launched = run("cvm", "RunInstances", "--cli-unfold-argument", "--Placement.Zone", "ap-guangzhou-3",
                "--ImageId", imageId, "--wait", "--interval", "0.1");
        assertThat(launched.exit()).as(launched.err()).isZero();
        String instanceId = launched.json().path("InstanceIdSet").get(0).asText();
        String ids = "[\"" + instanceId + "\"]";
        assertThat(run("cvm", "DescribeInstances", "--InstanceIds", ids, "--filter", "InstanceSet[0].InstanceState")
                .out()).contains("RUNNING");
        assertThat(run("cvm", "StopInstances", "--InstanceIds", ids, "--wait", "--interval", "0.1").exit()).isZero();
        assertThat(run("wait", "instance-stopped", "--instance-id", instanceId).exit()).isZero();
        Run timeout = run("wait", "instance-running", "--instance-id", instanceId, "--interval", "0.1", "--max-wait", "0");
        assertThat(timeout.exit()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(timeout.err()).contains("imagehub wait instance-running --instance-id " + instanceId);
        assertThat(run("cvm", "TerminateInstances", "--InstanceIds", ids, "--wait", "--interval", "0.1").exit())
                .isZero();
        assertThat(run("wait", "instance-terminated", "--instance-id", instanceId).exit()).isZero();
        Run generic = run("cvm", "DescribeImages", "--ImageIds", "[\"" + imageId + "\"]",
                "--waiter", "{'expr':'ImageSet[0].ImageState','to':'NORMAL','interval':0.1}", "--filter", "TotalCount");
        assertThat(generic.out()).isEqualTo("1\n");
    }

    @Test
    void allFollowsOffsetAndLimitToTheTotalCount() throws Exception {
        JsonNode whole = run("cvm", "DescribeImages", "--Limit", "100").json();
        Run paged = run("cvm", "DescribeImages", "--all", "--Limit", "1");
        assertThat(paged.exit()).isZero();
        assertThat(paged.json().path("ImageSet").size()).isEqualTo(whole.path("TotalCount").asInt()).isGreaterThan(1);
        assertThat(paged.json().path("ImageSet").findValuesAsText("ImageId"))
                .isEqualTo(whole.path("ImageSet").findValuesAsText("ImageId"));
        assertThat(run("cvm", "DescribeRegions", "--all").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void bashCompletionCompletesActionsParametersAndValues() throws Exception {
        Run script = run("completion", "bash");
        assertThat(script.exit()).isZero();
        Path file = home.resolve("imagehub.bash");
        Files.writeString(file, script.out());
        assertThat(complete(file, "imagehub", "cvm", "DescribeInst")).isEqualTo("DescribeInstances DescribeInstanceTypeConfigs");
        assertThat(complete(file, "imagehub", "cvm", "DescribeImages", "--Fil")).contains("--Filters");
        assertThat(complete(file, "imagehub", "cvm", "DescribeImages", "--output", "t")).isEqualTo("table text");
        assertThat(complete(file, "imagehub", "wait", "instance-s")).isEqualTo("instance-stopped");
        assertThat(complete(file, "imagehub", "image", "import", "x", "--os-")).contains("--os-type");
        assertThat(run("completion", "zsh").out()).startsWith("#compdef imagehub").contains("bashcompinit");
    }

    /** What bash completes for the last word, with the script sourced. */
    private static String complete(Path script, String... words) throws Exception {
        String line = "source " + script + "; COMP_WORDS=(" + String.join(" ", List.of(words).stream()
                .map(w -> "'" + w + "'").toList()) + "); COMP_CWORD=" + (words.length - 1)
                + "; _imagehub; echo \"${COMPREPLY[*]}\"";
        Process bash = new ProcessBuilder("bash", "-c", line).start();
        return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
