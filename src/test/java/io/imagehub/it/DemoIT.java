package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code serve --demo} and {@code demo} through the real launcher, checked as bob with the official SDK. */
class DemoIT {
    private static final Pattern LISTENING = Pattern.compile("imagehub listening on http://(127\\.0\\.0\\.1:\\d+) .*");
    private static final Pattern SUMMARY = Pattern.compile(
            "imagehub demo: alice's image imagehub-demo \\((img-\\w+) in ([\\w-]+)\\) is shared with bob and copied to ([\\w-]+) \\((img-\\w+)\\)");
    private static final Pattern KEYS = Pattern.compile("  (alice|bob) +AccountId (\\S+) +SecretId (\\S+) +SecretKey (\\S+)");
    private static final Duration START = Duration.ofSeconds(90);

    record Run(String endpoint, String imageId, String region, String copyRegion, String copyId,
               TestServer.Account alice, TestServer.Account bob, String made) {
    }

    @Test
    void serveDemoSharesARealImageWithBobAndASecondStartMakesNothingNew() throws Exception {
        Path dataDir = Files.createTempDirectory("imagehub-demo").resolve("data");
        try {
            Run first;
            try (Launcher serve = new Launcher(List.of("serve", "--demo", "--port", "0", "--data-dir", dataDir.toString()))) {
                first = demoOutput(serve);
                assertThat(first.made()).isEqualTo("  made: account alice, account bob, image imagehub-demo, "
                        + "share with bob, copy in " + first.copyRegion());

                CvmClient asBob = TestServer.client(first.endpoint(), first.bob(), first.region());
                DescribeImagesRequest shared = new DescribeImagesRequest();
                Filter type = new Filter();
                type.setName("image-type");
                type.setValues(new String[] {"SHARED_IMAGE"});
                shared.setFilters(new Filter[] {type});
                Image[] sharedWithBob = asBob.DescribeImages(shared).getImageSet();
                assertThat(sharedWithBob).extracting(Image::getImageId).containsExactly(first.imageId());
                assertThat(sharedWithBob[0].getImageState()).isEqualTo("NORMAL");
                String instance = Instances.runReady(asBob, first.region() + "-3", first.imageId());
                assertThat(Instances.find(asBob, instance).orElseThrow().getImageId()).isEqualTo(first.imageId());

                CvmClient asAliceThere = TestServer.client(first.endpoint(), first.alice(), first.copyRegion());
                assertThat(Images.find(asAliceThere, first.copyId()).orElseThrow().getImageState()).isEqualTo("NORMAL");
            }

            try (Launcher again = new Launcher(List.of("serve", "--demo", "--port", "0", "--data-dir", dataDir.toString()))) {
                Run second = demoOutput(again);
                assertThat(second.made()).isEqualTo("  made nothing new: everything was there already");
                assertThat(List.of(second.imageId(), second.copyId(), second.alice(), second.bob()))
                        .isEqualTo(List.of(first.imageId(), first.copyId(), first.alice(), first.bob()));
                String adminToken = Files.readString(dataDir.resolve("admin-token")).trim();
                assertThat(accountNames(second.endpoint(), adminToken)).containsExactly("alice", "bob");
                CvmClient asAlice = TestServer.client(second.endpoint(), second.alice(), second.region());
                assertThat(ownImages(asAlice)).as("alice's images").containsExactly(first.imageId());

                // another account on the node: `demo` refuses unless forced, and forced it still makes nothing new
                TestServer.createAccounts(second.endpoint(), adminToken, "carol", 1);
                List<String> demo = List.of("demo", "--endpoint", "http://" + second.endpoint(), "--data-dir", dataDir.toString());
                Launcher refused = Launcher.run(demo, START);
                assertThat(refused.exitCode()).isEqualTo(1);
                assertThat(refused.stderr()).contains("imagehub demo: this database holds 1 account(s) that are not the demo's (carol)")
                        .contains("pass --force");
                List<String> forcedArgs = new ArrayList<>(demo);
                forcedArgs.add("--force");
                Launcher forced = Launcher.run(forcedArgs, START);
                assertThat(forced.exitCode()).as(forced.stderr()).isZero();
                assertThat(forced.stdout()).contains("  made nothing new: everything was there already");
                assertThat(accountNames(second.endpoint(), adminToken)).containsExactly("alice", "bob", "carol");
            }
        } finally {
            TestServer.deleteTree(dataDir.getParent());
        }
    }

    private static Run demoOutput(Launcher serve) throws InterruptedException {
        Matcher listening = LISTENING.matcher(serve.awaitLine(LISTENING.asPredicate(), START));
        assertThat(listening.matches()).isTrue();
        Matcher summary = SUMMARY.matcher(serve.awaitLine(SUMMARY.asPredicate(), START));
        assertThat(summary.matches()).isTrue();
        String made = serve.awaitLine(line -> line.startsWith("  made"), Duration.ofSeconds(5));
        TestServer.Account alice = keys(serve.awaitLine(line -> line.startsWith("  alice"), Duration.ofSeconds(5)));
        TestServer.Account bob = keys(serve.awaitLine(line -> line.startsWith("  bob"), Duration.ofSeconds(5)));
        serve.awaitLine(line -> line.equals("  http://" + listening.group(1) + "/console"), Duration.ofSeconds(5));
        return new Run(listening.group(1), summary.group(1), summary.group(2), summary.group(3), summary.group(4),
                alice, bob, made);
    }

    private static TestServer.Account keys(String line) {
        Matcher m = KEYS.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return new TestServer.Account(m.group(2), m.group(3), m.group(4));
    }

    private static List<String> ownImages(CvmClient client) throws Exception {
        DescribeImagesRequest own = new DescribeImagesRequest();
        Filter type = new Filter();
        type.setName("image-type");
        type.setValues(new String[] {"PRIVATE_IMAGE"});
        own.setFilters(new Filter[] {type});
        return List.of(client.DescribeImages(own).getImageSet()).stream().map(Image::getImageId).toList();
    }

    private static List<String> accountNames(String endpoint, String adminToken) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + endpoint + "/admin/accounts"))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(response.body()).forEach(a -> names.add(a.path("Name").asText()));
        return names;
    }
}
