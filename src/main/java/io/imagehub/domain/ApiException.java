package io.imagehub.domain;

/**
 * A refusal that reaches the caller as a Tencent error envelope. The code is the contract (see the spec's
 * error tables); the message is for people and names the offending value in backticks, as Tencent does.
 */
public class ApiException extends RuntimeException {
    private final String code;

    public ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
