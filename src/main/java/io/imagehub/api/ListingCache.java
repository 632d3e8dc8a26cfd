package io.imagehub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.ListingVersion;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoded DescribeImages answers per caller, region and request, each valid only while the caller's listing version
 * is the one it was built under (docs/adr/0008-listing-cache.md). Clients that poll the same listing, the usual way
 * automation waits for an image, get it without running the query or encoding the images again. Least recently used
 * entries go first once the entries' bytes pass the bound; a bound of 0 turns the cache off.
 */
final class ListingCache {
    /** What a request's answer depends on besides the version: who asks, where, and the request in canonical JSON. */
    record Key(String accountId, String region, String request) {
        long bytes() {
            return 2L * (accountId.length() + region.length() + request.length()) + 64;
        }
    }

    private record Entry(ListingVersion version, EncodedMembers answer, long bytes) {
    }

    private final long maxBytes;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ListingCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    static Key key(CallContext ctx, Object request) {
        try {
            return new Key(ctx.accountId(), ctx.region(), Json.STRICT.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request cannot be encoded", e);
        }
    }

    /** The answer cached for the key, if it was built under exactly this version; null otherwise. */
    synchronized EncodedMembers get(Key key, ListingVersion version) {
        Entry entry = entries.get(key);
        return entry != null && entry.version().equals(version) ? entry.answer() : null;
    }

    synchronized void put(Key key, ListingVersion version, EncodedMembers answer) {
        long size = key.bytes() + answer.json().length + 64;
        if (size > maxBytes / 4) {
            return; // one answer must not push out most of the others
        }
        Entry previous = entries.put(key, new Entry(version, answer, size));
        bytes += size - (previous == null ? 0 : previous.bytes());
        Iterator<Entry> eldestFirst = entries.values().iterator();
        while (bytes > maxBytes) {
            bytes -= eldestFirst.next().bytes();
            eldestFirst.remove();
        }
    }
}
