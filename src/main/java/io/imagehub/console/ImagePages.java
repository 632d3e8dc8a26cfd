package io.imagehub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.imagehub.console.ApiCalls.Answer;
import io.imagehub.console.Views.ImageRow;
import io.imagehub.console.Views.ImageTable;
import io.imagehub.console.Views.Option;
import io.imagehub.console.Views.Problem;
import io.imagehub.console.Views.Tab;
import io.imagehub.domain.ImageState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The Images page (Public / Custom / Shared tabs, as in Tencent's console). */
final class ImagePages {
    static final int PAGE_SIZE = 20;
    /** The API's largest page: a state filter (which DescribeImages lacks) reads the tab in pages of this size. */
    private static final int API_PAGE = 100;
    /** A state filter looks at most at this many images of a tab (an account holds at most its quota of 500). */
    private static final int STATE_SCAN_LIMIT = 2000;
    private static final Pattern IMAGE_ID = Pattern.compile("img-[a-z0-9]{8}");
    private static final List<String> TABS = List.of("custom", "public", "shared");

    private final Console console;

    ImagePages(Console console) {
        this.console = console;
    }

    void routing(HttpRules rules) {
        rules.get("/images", (req, res) -> console.handle(req, res, console.signedIn(this::list)))
                .get("/images/table", (req, res) -> console.handle(req, res, console.signedIn(this::table)))
                .post("/images/import", (req, res) -> console.handle(req, res,
                        console.signedIn(console.checked(this::importImage))))
                .post("/images/upload", (req, res) -> console.handle(req, res,
                        console.signedIn(console.checked(this::startUpload))));
    }

    private void list(Exchange x) {
        list(x, null);
    }

    /** ImportImage from a URL; a refusal is shown on the Custom images tab. */
    private void importImage(Exchange x) {
        String[] os = x.param("os").split("\\|", 2); // "OsName|OsVersion", as the form's options carry them
        ObjectNode body = ApiCalls.body().put("ImageUrl", x.param("url")).put("ImageName", x.param("name"))
                .put("OsType", os[0]).put("OsVersion", os.length > 1 ? os[1] : "")
                .put("Architecture", x.param("architecture"));
        Answer answer = console.call(x, "ImportImage", body);
        if (answer.ok()) {
            x.redirect("/console/images?tab=custom&done=import");
        } else {
            list(x, new Problem(answer.errorCode(), answer.errorMessage()));
        }
    }

    /**
     * The first half of an upload of a local file: ImportImage with the file's size opens the upload and answers the
     * signed URL (a path on this endpoint) that takes its bytes. The page's script then PUTs the file there itself,
     * showing its progress; the URL admits that one upload only, and the key stays here.
     */
    private void startUpload(Exchange x) {
        String[] os = x.param("os").split("\\|", 2);
        ObjectNode body = ApiCalls.body().put("ImageName", x.param("name")).put("OsType", os[0])
                .put("OsVersion", os.length > 1 ? os[1] : "").put("Architecture", x.param("architecture"))
                .put("ImagehubUploadSizeBytes", parseLong(x.param("size")));
        Answer answer = console.call(x, "ImportImage", body);
        ObjectNode reply = ApiCalls.body();
        if (answer.ok()) {
            reply.put("ImageId", answer.get("ImageId").asText())
                    .put("UploadUrl", answer.get("ImagehubUploadUrl").asText());
        } else {
            reply.put("Code", answer.errorCode()).put("Message", answer.errorMessage());
        }
        x.json(reply.toString());
    }

    private void list(Exchange x, Problem refusal) {
        Messages m = console.messages(x);
        String tab = tab(x);
        List<Tab> tabs = TABS.stream().map(t -> new Tab(t, m.t("tab." + t), "/console/images?tab=" + t,
                t.equals(tab))).toList();
        List<Option> states = new ArrayList<>();
        states.add(new Option("", m.t("state.any"), x.param("state").isEmpty()));
        for (ImageState s : ImageState.values()) {
            states.add(new Option(s.name(), s.name(), s.name().equals(x.param("state"))));
        }
        Listing listing = listing(x, tab);
        x.html(Status.OK_200, console.render("images.jte", new Views.ImagesPage(
                console.chrome(x, m.t("nav.images"), "images", refusal != null ? refusal : listing.problem()), tabs,
                tab, x.param("q"), states, listing.table(), importOs(x))));
    }

    /** The operating systems ImportImage accepts (DescribeImportImageOs), for the import form. */
    private List<Option> importOs(Exchange x) {
        Answer answer = console.call(x, "DescribeImportImageOs", ApiCalls.body());
        Set<String> windows = new HashSet<>();
        answer.get("ImportImageOsListSupported").path("Windows").forEach(w -> windows.add(w.asText()));
        List<Option> linux = new ArrayList<>();
        List<Option> others = new ArrayList<>();
        for (JsonNode entry : answer.get("ImportImageOsVersionSet")) {
            String name = entry.path("OsName").asText();
            for (JsonNode version : entry.path("OsVersions")) {
                (windows.contains(name) ? others : linux).add(new Option(name + "|" + version.asText(),
                        name + " " + version.asText(), false));
            }
        }
        linux.addAll(others); // Linux first: what most imports are
        return linux;
    }

    /** The table alone: what the page's live part polls while an image in it is in progress. */
    private void table(Exchange x) {
        x.html(Status.OK_200, console.render("images_table.jte", listing(x, tab(x)).table()));
    }

    private static String tab(Exchange x) {
        return TABS.contains(x.param("tab")) ? x.param("tab") : "custom";
    }

    private record Listing(ImageTable table, Problem problem) {
    }

    private Listing listing(Exchange x, String tab) {
        Messages m = console.messages(x);
        String q = x.param("q");
        String state = x.param("state");
        int page = Math.max(1, parseInt(x.param("page"), 1));
        String type = switch (tab) {
            case "public" -> "PUBLIC_IMAGE";
            case "shared" -> "SHARED_IMAGE";
            default -> "PRIVATE_IMAGE";
        };
        List<JsonNode> images = new ArrayList<>();
        long total;
        Problem problem = null;
        if (state.isEmpty()) {
            Answer answer = describe(x, type, q, (page - 1) * PAGE_SIZE, PAGE_SIZE);
            if (!answer.ok()) {
                problem = new Problem(answer.errorCode(), answer.errorMessage());
                total = 0;
            } else {
                answer.get("ImageSet").forEach(images::add);
                total = answer.get("TotalCount").asLong();
            }
        } else {
            List<JsonNode> matching = new ArrayList<>();
            for (int offset = 0; offset < STATE_SCAN_LIMIT; offset += API_PAGE) {
                Answer answer = describe(x, type, q, offset, API_PAGE);
                if (!answer.ok()) {
                    problem = new Problem(answer.errorCode(), answer.errorMessage());
                    break;
                }
                answer.get("ImageSet").forEach(i -> {
                    if (state.equals(i.path("ImageState").asText())) {
                        matching.add(i);
                    }
                });
                if (offset + API_PAGE >= answer.get("TotalCount").asLong()) {
                    break;
                }
            }
            total = matching.size();
            images = matching.subList(Math.min(matching.size(), (page - 1) * PAGE_SIZE),
                    Math.min(matching.size(), page * PAGE_SIZE));
        }
        List<ImageRow> rows = new ArrayList<>();
        for (JsonNode image : images) {
            rows.add(row(x, image, "custom".equals(tab)));
        }
        int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        String base = "?tab=" + tab + (q.isEmpty() ? "" : "&q=" + Exchange.encode(q))
                + (state.isEmpty() ? "" : "&state=" + Exchange.encode(state));
        boolean live = rows.stream().anyMatch(ImageRow::inProgress);
        return new Listing(new ImageTable(m, tab, rows, total, page, pages,
                "/console/images/table" + base + "&page=" + page,
                page > 1 ? "/console/images" + base + "&page=" + (page - 1) : null,
                page < pages ? "/console/images" + base + "&page=" + (page + 1) : null, live), problem);
    }

    private Answer describe(Exchange x, String type, String q, int offset, int limit) {
        ObjectNode body = ApiCalls.body().put("Offset", offset).put("Limit", limit);
        ArrayNode filters = body.putArray("Filters");
        filters.addObject().put("Name", "image-type").putArray("Values").add(type);
        if (!q.isEmpty()) {
            filters.addObject().put("Name", IMAGE_ID.matcher(q).matches() ? "image-id" : "image-name")
                    .putArray("Values").add(q);
        }
        return console.call(x, "DescribeImages", body);
    }

    /** One row; the owner's rows also say how many of the share limit's slots are used. */
    private ImageRow row(Exchange x, JsonNode i, boolean owned) {
        String id = i.path("ImageId").asText();
        String digest = i.path("ImagehubSha256").asText("");
        String shares = null;
        String failure = null;
        if (owned && i.path("ImageState").asText().endsWith("FAILED")) {
            failure = Console.failureReason(console.auditTrail(x, id));
        }
        if (owned) {
            Answer answer = console.call(x, "DescribeImageSharePermission", ApiCalls.body().put("ImageId", id));
            if (answer.ok()) {
                shares = console.messages(x).t("shares.used", answer.get("SharePermissionSet").size(),
                        answer.get("ImagehubShareLimit").asInt());
            }
        }
        return new ImageRow(id, i.path("ImageName").asText(), i.path("ImageState").asText(),
                i.hasNonNull("SyncPercent") ? i.get("SyncPercent").asInt() : null, i.path("OsName").asText(),
                i.path("Architecture").asText(), size(i), digest,
                digest.length() > 19 ? digest.substring(0, 19) + "…" : digest,
                i.path("CreatedTime").asText(), i.path("ImageCreator").asText(), shares, failure);
    }

    /** The exact size when the extension member gives it, else Tencent's whole GiB. */
    static String size(JsonNode image) {
        if (image.hasNonNull("ImagehubSizeBytes")) {
            return bytes(image.get("ImagehubSizeBytes").asLong());
        }
        return image.path("ImageSize").asLong() + " GiB";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0; // the API refuses a size below 1 with its own message
        }
    }

    static int parseInt(String s, int fallback) {
        try {
            return s.isEmpty() ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
