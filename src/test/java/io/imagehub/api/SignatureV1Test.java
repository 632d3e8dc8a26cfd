package io.imagehub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test vectors of spec section 1.7, and the decoding of a v1 query. */
class SignatureV1Test {
    private static final String SECRET_KEY = "EXAMPLEsecretKey0123456789abcdefgh";
    private static final String HOST = "cvm.tencentcloudapi.com";

    /** The parameters of the vectors, in a HashMap-like order (the signer sorts them). */
    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Version", "2017-03-12");
        p.put("Timestamp", "1700000000");
        p.put("SecretId", "AKIDEXAMPLE1234567890abcdefghijklmn");
        p.put("Region", "ap-guangzhou");
        p.put("Nonce", "11886");
        p.put("Limit", "10");
        p.put("ImageIds.0", "img-abcdefgh");
        p.put("Action", "DescribeImages");
        return p;
    }

    @Test
    void hmacSha256Vector() {
        Map<String, String> p = params();
        p.put("SignatureMethod", "HmacSHA256");
        p.put("Signature", "ignored: never signed");
        String src = SignatureV1.stringToSign("GET", HOST, p);
        assertThat(src).isEqualTo("GETcvm.tencentcloudapi.com/?Action=DescribeImages&ImageIds.0=img-abcdefgh&Limit=10"
                + "&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDEXAMPLE1234567890abcdefghijklmn"
                + "&SignatureMethod=HmacSHA256&Timestamp=1700000000&Version=2017-03-12");
        assertThat(SignatureV1.sign("HmacSHA256", SECRET_KEY, src)).isEqualTo("itCXJHP6yABLPdIZv+p3gZ9wQMy6A2v0UeaqiD6yYE4=");
    }

    @Test
    void hmacSha1VectorWithoutSignatureMethod() {
        String src = SignatureV1.stringToSign("GET", HOST, params());
        assertThat(src).isEqualTo("GETcvm.tencentcloudapi.com/?Action=DescribeImages&ImageIds.0=img-abcdefgh&Limit=10"
                + "&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDEXAMPLE1234567890abcdefghijklmn"
                + "&Timestamp=1700000000&Version=2017-03-12");
        assertThat(SignatureV1.sign("HmacSHA1", SECRET_KEY, src)).isEqualTo("e67OXIuiQ/9Drl44w78oT7T71k8=");
    }

    @Test
    void aChangedValueMethodOrHostChangesTheSignature() {
        String original = SignatureV1.sign("HmacSHA1", SECRET_KEY, SignatureV1.stringToSign("GET", HOST, params()));
        Map<String, String> changed = params();
        changed.put("Limit", "11");
        assertThat(SignatureV1.sign("HmacSHA1", SECRET_KEY, SignatureV1.stringToSign("GET", HOST, changed))).isNotEqualTo(original);
        assertThat(SignatureV1.sign("HmacSHA1", SECRET_KEY, SignatureV1.stringToSign("POST", HOST, params()))).isNotEqualTo(original);
        assertThat(SignatureV1.sign("HmacSHA1", SECRET_KEY, SignatureV1.stringToSign("GET", HOST + ":443", params())))
                .isNotEqualTo(original);
    }

    @Test
    void signedValuesAreTheDecodedOnesAndNestedListsOfObjectsDecode() {
        Map<String, String> decoded = FlattenedParams.decode("Filters.0.Name=image-name&Filters.0.Values.0=a+b%2Fc"
                + "&Filters.0.Values.1=%E4%B8%AD&Filters.1.Name=image-type&Filters.1.Values.0=PRIVATE_IMAGE"
                + "&Signature=abc%3D&Action=DescribeImages");
        assertThat(decoded).containsEntry("Filters.0.Values.0", "a b/c").containsEntry("Signature", "abc=");
        assertThat(FlattenedParams.tree(SignatureV1.businessParameters(decoded)).toString()).isEqualTo(
                "{\"Filters\":[{\"Name\":\"image-name\",\"Values\":[\"a b/c\",\"中\"]},"
                        + "{\"Name\":\"image-type\",\"Values\":[\"PRIVATE_IMAGE\"]}]}");
    }
}
