package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "account", description = "Manage accounts.", subcommands = AccountCommand.Create.class)
public final class AccountCommand {

    @Command(name = "create", description = "Create accounts; prints one JSON object per account on stdout.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "Account name (with --count: the prefix of NAME-1..NAME-N).")
        String name;
        @Option(names = "--count", defaultValue = "1", description = "How many accounts to create.")
        int count;
        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() throws Exception {
            ObjectMapper json = new ObjectMapper();
            String reply = admin.client()
                    .post("/admin/accounts", json.writeValueAsString(Map.of("Name", name, "Count", count)));
            for (JsonNode credentials : json.readTree(reply)) {
                System.out.println(json.writeValueAsString(credentials));
            }
            return 0;
        }
    }
}
