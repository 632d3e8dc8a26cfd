package io.imagehub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.imagehub.console.ApiCalls.Answer;
import io.imagehub.console.Views.AuditRow;
import io.imagehub.console.Views.CopyBar;
import io.imagehub.console.Views.CopyBars;
import io.imagehub.console.Views.Option;
import io.imagehub.console.Views.Problem;
import io.imagehub.console.Views.ShareRow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An image's page and the owner's actions on it (share, cancel, copy, export, edit, delete) and everybody's (create
 * an instance). Each action is one API call; a refusal re-renders the page with the API's message.
 */
final class ImageDetailPages {
    private static final Pattern IMAGE_ID = Pattern.compile("img-[a-z0-9]{8}");
    private static final Pattern COPY = Pattern.compile("([a-z0-9-]{1,40}):(img-[a-z0-9]{8})");
    private static final Pattern ACCOUNT_SEPARATORS = Pattern.compile("[\\s,;]+");
    /** The API's bound on ids in one call (Params.MAX_IDS). */
    private static final int IDS_PER_CALL = 100;
    /** A copy page follows at most this many destinations (the regions a deployment has). */
    private static final int MAX_COPIES = 20;

    private final Console console;

    ImageDetailPages(Console console) {
        this.console = console;
    }

    void routing(HttpRules rules) {
        rules.get("/images/copies", (req, res) -> console.handle(req, res, console.signedIn(this::copies)))
                .get("/images/{id}", (req, res) -> console.handle(req, res, console.signedIn(x -> show(x, id(x), null))))
                .post("/images/{id}/share", post(this::share))
                .post("/images/{id}/cancel", post(this::cancel))
                .post("/images/{id}/copy", post(this::copy))
                .post("/images/{id}/export", post(this::export))
                .post("/images/{id}/edit", post(this::edit))
                .post("/images/{id}/delete", post(this::delete))
                .post("/images/{id}/run", post(this::run));
    }

    private interface ImageAction {
        void act(Exchange x, String imageId);
    }

    private io.helidon.webserver.http.Handler post(ImageAction action) {
        return (req, res) -> console.handle(req, res, console.signedIn(console.checked(x -> action.act(x, id(x)))));
    }

    private static String id(Exchange x) {
        return x.req.path().pathParameters().get("id");
    }

    /** Redirect to the image's page after a change, or show the page with the API's refusal. */
    private void after(Exchange x, String imageId, Answer answer, String done) {
        if (answer.ok()) {
            x.redirect("/console/images/" + imageId + "?done=" + done);
        } else {
            show(x, imageId, new Problem(answer.errorCode(), answer.errorMessage()));
        }
    }

    private void show(Exchange x, String imageId, Problem problem) {
        Messages m = console.messages(x);
        JsonNode image = IMAGE_ID.matcher(imageId).matches() ? find(x, x.session.region(), imageId) : null;
        if (image == null) {
            x.html(Status.NOT_FOUND_404, console.render("error.jte", new Views.ErrorPage(m, m.t("image.missing.title"),
                    m.t("image.missing", imageId))));
            return;
        }
        String relation = switch (image.path("ImageType").asText()) {
            case "PRIVATE_IMAGE" -> "OWNER";
            case "SHARED_IMAGE" -> "RECIPIENT";
            default -> "PUBLIC";
        };
        List<Option> attributes = List.of(
                new Option(m.t("attr.os"), image.path("OsName").asText(), false),
                new Option(m.t("attr.platform"), image.path("Platform").asText(), false),
                new Option(m.t("attr.architecture"), image.path("Architecture").asText(), false),
                new Option(m.t("attr.size"), ImagePages.size(image), false),
                new Option(m.t("attr.source"), image.path("ImageSource").asText(), false),
                new Option(m.t("attr.created"), image.path("CreatedTime").asText(), false),
                new Option(m.t("attr.license"), image.path("LicenseType").asText(), false));
        List<ShareRow> shares = List.of();
        int shareLimit = 0;
        List<AuditRow> audit = List.of();
        String failure = null;
        String deleteBlocked = null;
        String lineage = null;
        List<Option> copyRegions = List.of();
        if ("OWNER".equals(relation)) {
            Answer sharing = console.call(x, "DescribeImageSharePermission", ApiCalls.body().put("ImageId", imageId));
            shares = new ArrayList<>();
            for (JsonNode s : sharing.get("SharePermissionSet")) {
                shares.add(new ShareRow(s.path("AccountId").asText(), s.path("CreatedTime").asText()));
            }
            shareLimit = sharing.get("ImagehubShareLimit").asInt();
            audit = console.auditTrail(x, imageId);
            if (image.path("ImageState").asText().endsWith("FAILED")) {
                failure = Console.failureReason(audit);
            }
            deleteBlocked = shares.isEmpty() ? null : m.t("delete.blocked", shares.size());
            lineage = image.path("ImagehubLineage").isMissingNode() || image.path("ImagehubLineage").isNull() ? null
                    : image.get("ImagehubLineage").toPrettyString();
            copyRegions = new ArrayList<>();
            for (JsonNode r : console.call(x, "DescribeRegions", ApiCalls.body()).get("RegionSet")) {
                String region = r.path("Region").asText();
                if (!region.equals(x.session.region())) {
                    copyRegions.add(new Option(region, r.path("RegionName").asText(region), false));
                }
            }
        }
        Integer percent = image.hasNonNull("SyncPercent") ? image.get("SyncPercent").asInt() : null;
        x.html(Status.OK_200, console.render("image.jte", new Views.ImagePage(
                console.chrome(x, image.path("ImageName").asText(imageId), "images", problem), imageId,
                image.path("ImageName").asText(), image.path("ImageDescription").asText(""),
                image.path("ImageState").asText(), percent, relation, image.path("ImageCreator").asText(),
                attributes, image.path("ImagehubSha256").asText(""),
                image.hasNonNull("ImagehubSizeBytes") ? image.get("ImagehubSizeBytes").asText() : "", failure, lineage,
                shares, shareLimit, audit, deleteBlocked, copyRegions, zones(x), instanceTypes(x),
                copyBars(x, x.param("copies")))));
    }

    private JsonNode find(Exchange x, String region, String imageId) {
        ObjectNode body = ApiCalls.body();
        body.putArray("ImageIds").add(imageId);
        Answer answer = console.call(x, region, "DescribeImages", body);
        return answer.ok() && answer.get("ImageSet").size() == 1 ? answer.get("ImageSet").get(0) : null;
    }

    List<Option> zones(Exchange x) {
        List<Option> zones = new ArrayList<>();
        for (JsonNode z : console.call(x, "DescribeZones", ApiCalls.body()).get("ZoneSet")) {
            zones.add(new Option(z.path("Zone").asText(), z.path("ZoneName").asText(), false));
        }
        return zones;
    }

    /** The instance types sold in the region (each once, whatever zones sell it). */
    List<Option> instanceTypes(Exchange x) {
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode t : console.call(x, "DescribeInstanceTypeConfigs", ApiCalls.body()).get("InstanceTypeConfigSet")) {
            types.add(t.path("InstanceType").asText());
        }
        return types.stream().map(t -> new Option(t, t, false)).toList();
    }

    private void share(Exchange x, String imageId) {
        List<String> accounts = new ArrayList<>();
        for (String a : ACCOUNT_SEPARATORS.split(x.param("accounts"))) {
            if (!a.isEmpty()) {
                accounts.add(a);
            }
        }
        after(x, imageId, modifyShares(x, imageId, accounts, "SHARE"), "share");
    }

    /** Cancels one account's share, or with {@code all} every share the image has. */
    private void cancel(Exchange x, String imageId) {
        List<String> accounts = new ArrayList<>();
        if (!x.param("all").isEmpty()) {
            Answer shares = console.call(x, "DescribeImageSharePermission", ApiCalls.body().put("ImageId", imageId));
            if (!shares.ok()) {
                after(x, imageId, shares, "cancel");
                return;
            }
            shares.get("SharePermissionSet").forEach(s -> accounts.add(s.path("AccountId").asText()));
        } else {
            accounts.add(x.param("account"));
        }
        after(x, imageId, modifyShares(x, imageId, accounts, "CANCEL"), "cancel");
    }

    private Answer modifyShares(Exchange x, String imageId, List<String> accounts, String permission) {
        Answer last = null;
        for (int from = 0; from < Math.max(1, accounts.size()); from += IDS_PER_CALL) {
            ObjectNode body = ApiCalls.body().put("ImageId", imageId).put("Permission", permission);
            ArrayNode ids = body.putArray("AccountIds");
            accounts.subList(from, Math.min(accounts.size(), from + IDS_PER_CALL)).forEach(ids::add);
            last = console.call(x, "ModifyImageSharePermission", body);
            if (!last.ok()) {
                return last;
            }
        }
        return last;
    }

    /** Starts the copies, then shows the page with one bar per destination. */
    private void copy(Exchange x, String imageId) {
        ObjectNode body = ApiCalls.body().put("ImageSetRequired", true);
        body.putArray("ImageIds").add(imageId);
        ArrayNode regions = body.putArray("DestinationRegions");
        x.params("region").forEach(regions::add);
        Answer answer = console.call(x, "SyncImages", body);
        if (!answer.ok()) {
            show(x, imageId, new Problem(answer.errorCode(), answer.errorMessage()));
            return;
        }
        List<String> copies = new ArrayList<>();
        for (JsonNode c : answer.get("ImageSet")) {
            copies.add(c.path("Region").asText() + ":" + c.path("ImageId").asText());
        }
        x.redirect("/console/images/" + imageId + "?done=copy&copies=" + Exchange.encode(String.join(",", copies)));
    }

    private void export(Exchange x, String imageId) {
        ObjectNode body = ApiCalls.body().put("BucketName", x.param("bucket"));
        body.putArray("ImageIds").add(imageId);
        if (!x.param("format").isEmpty()) {
            body.put("ExportFormat", x.param("format"));
        }
        after(x, imageId, console.call(x, "ExportImages", body), "export");
    }

    private void edit(Exchange x, String imageId) {
        after(x, imageId, console.call(x, "ModifyImageAttribute", ApiCalls.body().put("ImageId", imageId)
                .put("ImageName", x.param("name")).put("ImageDescription", x.param("description"))), "edit");
    }

    private void delete(Exchange x, String imageId) {
        ObjectNode body = ApiCalls.body();
        body.putArray("ImageIds").add(imageId);
        Answer answer = console.call(x, "DeleteImages", body);
        if (answer.ok()) {
            x.redirect("/console/images?tab=custom&done=delete");
        } else {
            show(x, imageId, new Problem(answer.errorCode(), answer.errorMessage()));
        }
    }

    private void run(Exchange x, String imageId) {
        ObjectNode body = ApiCalls.body().put("ImageId", imageId).put("InstanceType", x.param("type"))
                .put("InstanceName", x.param("name"));
        body.putObject("Placement").put("Zone", x.param("zone"));
        if (!x.param("password").isEmpty()) {
            body.putObject("LoginSettings").put("Password", x.param("password"));
        }
        Answer answer = console.call(x, "RunInstances", body);
        if (answer.ok()) {
            x.redirect("/console/instances?done=run");
        } else {
            show(x, imageId, new Problem(answer.errorCode(), answer.errorMessage()));
        }
    }

    /** The copy bars alone: what they poll. */
    private void copies(Exchange x) {
        x.html(Status.OK_200, console.render("copies.jte", copyBars(x, x.param("c"))));
    }

    /** {@code spec} is "region:img-id,..." as the copy action wrote it; anything else in it is ignored. */
    private CopyBars copyBars(Exchange x, String spec) {
        List<CopyBar> bars = new ArrayList<>();
        for (String part : spec.split(",")) {
            var match = COPY.matcher(part.trim());
            if (!match.matches() || bars.size() >= MAX_COPIES) {
                continue;
            }
            JsonNode copy = find(x, match.group(1), match.group(2));
            String state = copy == null ? "?" : copy.path("ImageState").asText();
            int percent = "NORMAL".equals(state) ? 100
                    : copy != null && copy.hasNonNull("SyncPercent") ? copy.get("SyncPercent").asInt() : 0;
            bars.add(new CopyBar(match.group(1), match.group(2), state, percent));
        }
        boolean live = bars.stream().anyMatch(b -> "SYNCING".equals(b.state()));
        return new CopyBars(console.messages(x), bars, "/console/images/copies?c=" + Exchange.encode(spec), live);
    }
}
