package io.imagehub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.imagehub.console.ApiCalls.Answer;
import io.imagehub.console.Views.InstanceRow;
import io.imagehub.console.Views.InstanceTable;
import io.imagehub.console.Views.Option;
import io.imagehub.console.Views.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Instances page (list, create, start, stop, reboot, reinstall, terminate, create image) and the Account page. */
final class InstancePages {
    /** The API's largest page; the console shows one page of instances (an account's quota is 100 by default). */
    private static final int LIMIT = 100;
    /** Row buttons: form action suffix -> the API action that takes InstanceIds. */
    private static final Map<String, String> TRANSITIONS = Map.of("start", "StartInstances", "stop", "StopInstances",
            "reboot", "RebootInstances", "terminate", "TerminateInstances");

    private final Console console;
    private final ImageDetailPages images;

    InstancePages(Console console, ImageDetailPages images) {
        this.console = console;
        this.images = images;
    }

    void routing(HttpRules rules) {
        rules.get("/instances", (req, res) -> console.handle(req, res, console.signedIn(x -> list(x, null))))
                .get("/instances/table", (req, res) -> console.handle(req, res, console.signedIn(this::table)))
                .post("/instances/run", (req, res) -> console.handle(req, res, console.signedIn(console.checked(this::run))))
                .post("/instances/{id}/{op}", (req, res) -> console.handle(req, res,
                        console.signedIn(console.checked(this::operate))))
                .get("/account", (req, res) -> console.handle(req, res, console.signedIn(this::account)));
    }

    private void list(Exchange x, Problem problem) {
        Messages m = console.messages(x);
        List<Option> launchable = launchableImages(x);
        x.html(Status.OK_200, console.render("instances.jte", new Views.InstancesPage(
                console.chrome(x, m.t("nav.instances"), "instances", problem), table(x, launchable), launchable,
                images.zones(x), images.instanceTypes(x))));
    }

    private void table(Exchange x) {
        x.html(Status.OK_200, console.render("instances_table.jte", table(x, launchableImages(x))));
    }

    private InstanceTable table(Exchange x, List<Option> launchable) {
        Answer answer = console.call(x, "DescribeInstances", ApiCalls.body().put("Limit", LIMIT));
        List<InstanceRow> rows = new ArrayList<>();
        for (JsonNode i : answer.get("InstanceSet")) {
            rows.add(new InstanceRow(i.path("InstanceId").asText(), i.path("InstanceName").asText(),
                    i.path("InstanceState").asText(), i.path("InstanceType").asText(),
                    i.path("Placement").path("Zone").asText(), i.path("ImageId").asText(),
                    i.path("CreatedTime").asText()));
        }
        return new InstanceTable(console.messages(x), x.session.csrfToken(), rows, answer.get("TotalCount").asLong(),
                launchable, rows.stream().anyMatch(r -> !r.settled()));
    }

    /** NORMAL images of every kind the caller may launch: theirs, shared with them, public (first page of each). */
    private List<Option> launchableImages(Exchange x) {
        List<Option> options = new ArrayList<>();
        ObjectNode body = ApiCalls.body().put("Limit", LIMIT);
        for (JsonNode i : console.call(x, "DescribeImages", body).get("ImageSet")) {
            if ("NORMAL".equals(i.path("ImageState").asText())) {
                options.add(new Option(i.path("ImageId").asText(),
                        i.path("ImageName").asText() + " (" + i.path("ImageId").asText() + ")", false));
            }
        }
        return options;
    }

    private void run(Exchange x) {
        ObjectNode body = ApiCalls.body().put("ImageId", x.param("image")).put("InstanceType", x.param("type"))
                .put("InstanceName", x.param("name"));
        body.putObject("Placement").put("Zone", x.param("zone"));
        if (!x.param("password").isEmpty()) {
            body.putObject("LoginSettings").put("Password", x.param("password"));
        }
        after(x, console.call(x, "RunInstances", body), "run");
    }

    /** A row's button: a state change, reinstall (ResetInstance) or create image (CreateImage). */
    private void operate(Exchange x) {
        String id = x.req.path().pathParameters().get("id");
        String op = x.req.path().pathParameters().get("op");
        Answer answer;
        if (TRANSITIONS.containsKey(op)) {
            ObjectNode body = ApiCalls.body();
            body.putArray("InstanceIds").add(id);
            answer = console.call(x, TRANSITIONS.get(op), body);
        } else if ("reset".equals(op)) {
            answer = console.call(x, "ResetInstance", ApiCalls.body().put("InstanceId", id)
                    .put("ImageId", x.param("image")));
        } else if ("image".equals(op)) {
            ObjectNode body = ApiCalls.body().put("InstanceId", id).put("ImageName", x.param("name"));
            if (!x.param("description").isEmpty()) {
                body.put("ImageDescription", x.param("description"));
            }
            answer = console.call(x, "CreateImage", body);
        } else {
            x.html(Status.NOT_FOUND_404, "not found");
            return;
        }
        after(x, answer, op);
    }

    private void after(Exchange x, Answer answer, String done) {
        if (answer.ok()) {
            x.redirect("/console/instances?done=instance." + done);
        } else {
            list(x, new Problem(answer.errorCode(), answer.errorMessage()));
        }
    }

    private void account(Exchange x) {
        Messages m = console.messages(x);
        ObjectNode owned = ApiCalls.body().put("Limit", 1);
        owned.putArray("Filters").addObject().put("Name", "image-type").putArray("Values").add("PRIVATE_IMAGE");
        long used = console.call(x, "DescribeImages", owned).get("TotalCount").asLong();
        long quota = console.call(x, "DescribeImageQuota", ApiCalls.body()).get("ImageNumQuota").asLong();
        long instances = console.call(x, "DescribeInstances", ApiCalls.body().put("Limit", 1)).get("TotalCount").asLong();
        x.html(Status.OK_200, console.render("account.jte", new Views.AccountPage(
                console.chrome(x, m.t("nav.account"), "account", null), used, quota, instances,
                x.session.secretId())));
    }
}
