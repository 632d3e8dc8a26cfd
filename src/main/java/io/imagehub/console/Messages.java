package io.imagehub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The console's own words in en-US and zh-CN ({@code console/messages_*.properties}). Error messages are not here:
 * they are the API's, asked for in the same language with X-TC-Language.
 */
public final class Messages {
    public static final String ENGLISH = "en-US";
    public static final String CHINESE = "zh-CN";
    public static final List<String> LANGUAGES = List.of(ENGLISH, CHINESE);
    private static final Map<String, Messages> BY_LANGUAGE = Map.of(
            ENGLISH, load(ENGLISH, "console/messages_en.properties"),
            CHINESE, load(CHINESE, "console/messages_zh.properties"));

    private final String language;
    private final Properties words;

    private Messages(String language, Properties words) {
        this.language = language;
        this.words = words;
    }

    /** The messages of a language, English for anything else. */
    public static Messages of(String language) {
        return BY_LANGUAGE.getOrDefault(language, BY_LANGUAGE.get(ENGLISH));
    }

    public static String supported(String language) {
        return LANGUAGES.contains(language) ? language : ENGLISH;
    }

    public String language() {
        return language;
    }

    /** The text of {@code key}; a missing key shows itself, so a test or a reader notices it. */
    public String t(String key) {
        return words.getProperty(key, key);
    }

    /** The text of {@code key} with {0}, {1}, ... replaced by {@code args}. */
    public String t(String key, Object... args) {
        String text = t(key);
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    private static Messages load(String language, String resource) {
        Properties words = new Properties();
        try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            words.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Messages(language, words);
    }
}
