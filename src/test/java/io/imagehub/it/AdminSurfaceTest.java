package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import io.imagehub.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The operators' surface: the admin token guards it, the CLI prints credentials, the database holds no secret. */
class AdminSurfaceTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theGeneratedAdminTokenIsReadableOnlyByItsOwner() throws Exception {
        var file = server.dataDir().resolve("admin-token");
        assertThat(Files.readString(file).trim()).isEqualTo(server.adminToken());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void theAccountListNeedsTheTokenAndShowsNamesNotKeys() throws Exception {
        TestServer.Account listed = server.createAccount("listed");
        URI list = URI.create("http://" + server.endpoint() + "/admin/accounts");
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list)
                .header("Authorization", "Bearer " + server.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        List<JsonNode> accounts = new ArrayList<>();
        new ObjectMapper().readTree(answer.body()).forEach(accounts::add);
        assertThat(accounts).anySatisfy(a -> {
            assertThat(a.path("AccountId").asText()).isEqualTo(listed.accountId());
            assertThat(a.path("Name").asText()).isEqualTo("listed");
        });
        assertThat(answer.body()).doesNotContain(listed.secretId()).doesNotContain(listed.secretKey());
    }

    @Test
    void adminCallsWithoutTheTokenAreRefusedAndCreateNothing() throws Exception {
        for (String token : new String[] {null, "Bearer wrong", "Bearer " + server.adminToken() + "x"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/admin/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"mallory\"}"));
            if (token != null) {
                request.header("Authorization", token);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }
        assertThat(server.createAccount("mallory").accountId()).matches("[1-9][0-9]{11}"); // the name was still free
    }

    @Test
    void accountCreateWithCountPrintsOneJsonObjectPerLineAndTheKeysWork() throws Exception {
        List<String> lines = runCli("account", "create", "--name", "team", "--count", "3",
                "--endpoint", "http://" + server.endpoint(), "--data-dir", server.dataDir().toString());
        assertThat(lines).hasSize(3);
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode credentials = new ObjectMapper().readTree(line);
            assertThat(credentials.get("AccountId").asText()).matches("[1-9][0-9]{11}");
            ids.add(credentials.get("AccountId").asText());
            assertThat(server.client(credentials.get("SecretId").asText(), credentials.get("SecretKey").asText(),
                    "ap-guangzhou").DescribeRegions(new DescribeRegionsRequest()).getTotalCount()).isPositive();
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void theDatabaseHoldsNoSecretKeyInTheClear() throws Exception {
        TestServer.Account account = server.createAccount("vault");
        // the embedded database is open exclusively by the server, so read its file's bytes as an attacker would
        byte[] file = Files.readAllBytes(server.dataDir().resolve("db").resolve("imagehub.mv.db"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain(account.secretKey())
                .contains(account.secretId());
    }

    private static List<String> runCli(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, "UTF-8")) {
            System.setOut(out);
            int code = new CommandLine(new Main()).execute(args);
            assertThat(code).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString("UTF-8").lines().toList();
    }
}
