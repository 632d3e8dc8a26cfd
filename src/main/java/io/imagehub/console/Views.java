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

    /** One line of an image listing. {@code shares} is "3 of 50" for the owner's images, else null. */
    public record ImageRow(String id, String name, String state, Integer percent, String os, String architecture,
                           String size, String digest, String digestShort, String created, String owner,
                           String shares) {
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
}
