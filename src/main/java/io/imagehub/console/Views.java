package io.imagehub.console;

import java.util.List;

/** What the templates (src/main/jte) are given: plain values, already formatted, no API trees. */
public final class Views {
    private Views() {
    }

    /** The frame around every signed-in page: who, where, language, the CSRF token for its forms, a banner. */
    public record Chrome(Messages m, String title, String active, String accountId, String region,
                         List<Option> regions, List<Option> languages, String csrf, String notice, Problem problem) {
    }

    /** A refusal to show: the API's message (in the session's language) and its code. */
    public record Problem(String code, String message) {
    }

    public record Option(String value, String label, boolean selected) {
    }

    public record SignInPage(Messages m, List<Option> languages, String secretId, Problem problem) {
    }

    /**
     * One line of an image listing. {@code shares} is "3 of 50" for the owner's images, else null; {@code failure}
     * is why the owner's image failed (from its audit trail), else null.
     */
    public record ImageRow(String id, String name, String state, Integer percent, String os, String architecture,
                           String size, String digest, String digestShort, String created, String owner,
                           String shares, String failure) {
        public boolean inProgress() {
            return "IMPORTING".equals(state) || "SYNCING".equals(state) || "CREATING".equals(state);
        }
    }

    public record Tab(String id, String label, String url, boolean selected) {
    }

    public record ImagesPage(Chrome chrome, List<Tab> tabs, String tab, String q, List<Option> states,
                             ImageTable table, List<Option> osTypes) {
    }

    /** The part of the Images page that polls itself while an image in it is still in progress. */
    public record ImageTable(Messages m, String tab, List<ImageRow> rows, long total, int page, int pages,
                             String selfUrl, String prevUrl, String nextUrl, boolean live) {
    }

    public record ErrorPage(Messages m, String title, String message) {
    }

    /** An image's own page. {@code relation} is OWNER, RECIPIENT or PUBLIC; the owner's parts are null otherwise. */
    public record ImagePage(Chrome chrome, String id, String name, String description, String state, Integer percent,
                            String relation, String ownerAccount, List<Option> attributes, String digest, String sizeBytes,
                            String failure, String lineage, List<ShareRow> shares, int shareLimit,
                            List<AuditRow> audit, String deleteBlocked, List<Option> copyRegions, List<Option> zones,
                            List<Option> instanceTypes, CopyBars copies) {
        public boolean isOwner() {
            return "OWNER".equals(relation);
        }

        public boolean isRecipient() {
            return "RECIPIENT".equals(relation);
        }

        public boolean isNormal() {
            return "NORMAL".equals(state);
        }
    }

    public record ShareRow(String accountId, String since) {
    }

    public record AuditRow(String time, String actor, String action, String accounts, String outcome,
                           String detail) {
        public boolean refused() {
            return !"Success".equals(outcome);
        }
    }

    /** One bar per destination of a copy (SyncImages); polls itself until every copy is NORMAL or failed. */
    public record CopyBars(Messages m, List<CopyBar> bars, String selfUrl, boolean live) {
    }

    public record CopyBar(String region, String imageId, String state, int percent) {
    }

    public record InstanceRow(String id, String name, String state, String type, String zone, String imageId,
                              String created) {
        public boolean settled() {
            return switch (state) {
                case "PENDING", "STARTING", "STOPPING", "REBOOTING", "TERMINATING" -> false;
                default -> true;
            };
        }

        public boolean running() {
            return "RUNNING".equals(state);
        }

        public boolean stopped() {
            return "STOPPED".equals(state);
        }
    }

    /** The instance list polls itself while an instance in it is changing state. */
    public record InstanceTable(Messages m, String csrf, List<InstanceRow> rows, long total, List<Option> images,
                                boolean live) {
    }

    public record InstancesPage(Chrome chrome, InstanceTable table, List<Option> images, List<Option> zones,
                                List<Option> instanceTypes) {
    }

    public record AccountPage(Chrome chrome, long imagesUsed, long imageQuota, long instances, String secretId) {
    }
}
