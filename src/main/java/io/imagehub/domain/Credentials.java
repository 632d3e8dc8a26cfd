package io.imagehub.domain;

/** A key pair as issued once to its owner. Never logged: toString hides the secret. */
public record Credentials(String accountId, String secretId, String secretKey) {
    @Override
    public String toString() {
        return "Credentials[accountId=" + accountId + ", secretId=" + secretId + ", secretKey=***]";
    }
}
