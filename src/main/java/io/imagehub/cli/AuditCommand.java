package io.imagehub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Print the audit trail (newest first), one JSON object per event.")
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--image", description = "Only events about this image.")
    String image;
    @Option(names = "--account", description = "Only events by or affecting this account.")
    String account;
    @Option(names = "--limit", defaultValue = "1000", description = "At most this many events.")
    int limit;
    @Mixin
    AdminOptions admin;

    @Override
    public Integer call() throws Exception {
        StringBuilder path = new StringBuilder("/admin/audit?limit=").append(limit);
        if (image != null) {
            path.append("&image=").append(URLEncoder.encode(image, StandardCharsets.UTF_8));
        }
        if (account != null) {
            path.append("&account=").append(URLEncoder.encode(account, StandardCharsets.UTF_8));
        }
        ObjectMapper json = new ObjectMapper();
        for (JsonNode event : json.readTree(admin.client().get(path.toString()))) {
            System.out.println(json.writeValueAsString(event));
        }
        return 0;
    }
}
