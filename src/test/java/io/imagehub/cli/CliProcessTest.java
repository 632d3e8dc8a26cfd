package io.imagehub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.it.RawClient;
import io.imagehub.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a real child process: what a shell sees (exit codes, stdout, Ctrl-C), and how little it loads. */
class CliProcessTest {
    private static TestServer server;
    private static TestServer.Account alice;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
        alice = server.createAccount("cli-process");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private Process start(List<String> jvmOptions, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // through perl (essential on Debian), which restores SIGINT's default before exec: a build started in the
        // background by a non-interactive shell hands its children SIGINT ignored, and the JVM then never sees Ctrl-C
        List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                java, "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.imagehub.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("IMAGEHUB_ENDPOINT", server.endpoint());
        builder.environment().put("TENCENTCLOUD_SECRET_ID", alice.secretId());
        builder.environment().put("TENCENTCLOUD_SECRET_KEY", alice.secretKey());
        builder.environment().put("TENCENTCLOUD_REGION", "ap-guangzhou");
        return builder.redirectError(home.resolve("stderr").toFile()).start();
    }

    @Test
    void aCallPrintsOnlyJsonOnStdoutAndLoadsNoServerClasses() throws Exception {
        Path classes = home.resolve("classes.log");
        Process cli = start(List.of("-Xlog:class+load=info:file=" + classes), "cvm", "DescribeRegions");
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).isZero();
        assertThat(new ObjectMapper().readTree(out).path("RegionSet").isArray()).isTrue();
        assertThat(Files.readAllLines(classes)).isNotEmpty().noneMatch(line -> line.contains("io.helidon")
                || line.contains("org.h2.") || line.contains("software.amazon") || line.contains("com.zaxxer")
                || line.contains("org.flywaydb"));

        Process failing = start(List.of(), "cvm", "DeleteImages", "--ImageIds", "[\"img-00000000\"]");
        assertThat(failing.getInputStream().readAllBytes()).isEmpty();
        assertThat(failing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failing.exitValue()).isEqualTo(ExitCodes.API_ERROR);
        assertThat(Files.readString(home.resolve("stderr"))).startsWith("[InvalidImageId.NotFound] ");
    }

    @Test
    void ctrlCStopsWaitingNotTheImportAndSaysHowToWaitAgain() throws Exception {
        RawClient api = new RawClient(server, alice);
        JsonNode opened = api.call("ImportImage", "ap-guangzhou", "{\"ImageName\":\"never\",\"OsType\":\"CentOS\","
                + "\"OsVersion\":\"7\",\"Architecture\":\"x86_64\",\"ImagehubUploadSizeBytes\":1024}");
        String imageId = opened.path("ImageId").asText();
        Process waiting = start(List.of(), "wait", "image-available", "--image-id", imageId, "--interval", "0.2");
        Path stderr = home.resolve("stderr");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(stderr).contains(imageId) && System.nanoTime() < deadline) {
            Thread.sleep(100); // the waiter has polled once
        }
        new ProcessBuilder("kill", "-INT", Long.toString(waiting.pid())).start().waitFor();
        assertThat(waiting.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(Files.readString(stderr)).contains("stopped waiting; the operation goes on")
                .contains("imagehub wait image-available --image-id " + imageId + " --region ap-guangzhou");
        assertThat(api.call("DescribeImages", "ap-guangzhou", "{\"ImageIds\":[\"" + imageId + "\"]}")
                .at("/ImageSet/0/ImageState").asText()).isEqualTo("IMPORTING");
    }
}
