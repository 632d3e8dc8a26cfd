package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that an SDK call is refused with a given Tencent error code and a RequestId. */
public final class SdkAssertions {
    private SdkAssertions() {
    }

    public static TencentCloudSDKException assertRefused(String code, ThrowingCallable call) {
        TencentCloudSDKException e = catchThrowableOfType(TencentCloudSDKException.class, call);
        assertThat(e).as("expected the call to be refused with " + code).isNotNull();
        assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(code);
        assertThat(e.getRequestId()).isNotBlank();
        return e;
    }
}
