package io.imagehub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.domain.ListingVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cache's own rules: an answer only for the exact versions it was built under, and never more than its bound. */
class ListingCacheTest {
    private static final ListingVersion V1 = new ListingVersion(1, 0);

    private static ListingCache.Key key(String accountId) {
        return new ListingCache.Key(accountId, "ap-guangzhou", "{\"Limit\":20}");
    }

    private static EncodedMembers answer(int bytes) {
        return new EncodedMembers("x".repeat(bytes).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerIsReturnedOnlyForTheVersionsItWasBuiltUnder() {
        ListingCache cache = new ListingCache(1 << 20);
        EncodedMembers built = answer(100);
        cache.put(key("a"), V1, built);

        assertThat(cache.get(key("a"), V1)).isSameAs(built);
        assertThat(cache.get(key("a"), new ListingVersion(2, 0))).as("the account's listing changed").isNull();
        assertThat(cache.get(key("a"), new ListingVersion(1, 1))).as("the public images changed").isNull();
        assertThat(cache.get(key("b"), V1)).as("another caller").isNull();
    }

    @Test
    void theLeastRecentlyUsedAnswersGoOnceTheBoundIsPassed() {
        ListingCache cache = new ListingCache(4 * 1024); // four answers of 700 bytes (with their keys) fit, not five
        for (String account : new String[] {"a", "b", "c", "d"}) {
            cache.put(key(account), V1, answer(700));
        }
        assertThat(cache.get(key("a"), V1)).isNotNull(); // a is now the most recently used

        cache.put(key("e"), V1, answer(700));

        assertThat(cache.get(key("b"), V1)).as("least recently used").isNull();
        for (String kept : new String[] {"a", "c", "d", "e"}) {
            assertThat(cache.get(key(kept), V1)).as(kept).isNotNull();
        }
    }

    @Test
    void anAnswerLargerThanAQuarterOfTheBoundIsNotKept() {
        ListingCache cache = new ListingCache(4 * 1024);
        cache.put(key("a"), V1, answer(1500));
        assertThat(cache.get(key("a"), V1)).isNull();
    }

    @Test
    void aBoundOfZeroTurnsTheCacheOff() {
        assertThat(new ListingCache(0).enabled()).isFalse();
        assertThat(new ListingCache(1).enabled()).isTrue();
    }
}
