package io.imagehub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Arrays;

/**
 * An action's result already encoded as the members of its JSON object, without the braces, as the gateway would
 * have written them: a cached answer is sent without encoding it again.
 */
public record EncodedMembers(byte[] json) {
    public static EncodedMembers of(Object result) {
        try {
            byte[] object = Json.STRICT.writeValueAsBytes(result);
            return new EncodedMembers(Arrays.copyOfRange(object, 1, object.length - 1));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the result cannot be encoded", e);
        }
    }
}
