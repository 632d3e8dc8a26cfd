package io.imagehub.domain;

/**
 * Who is calling, where, and under which RequestId: what every domain operation needs to know and record.
 *
 * @param language the X-TC-Language header (zh-CN, en-US) or null
 */
public record CallContext(String requestId, String accountId, String region, String language) {

    public boolean english() {
        return "en-US".equals(language);
    }
}
