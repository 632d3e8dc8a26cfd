package io.imagehub.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagehub.domain.ImagePolicy.Relation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ImagePolicy} that have no API action yet (copy, export, launch) and the region binding of a
 * share, checked on the policy directly. The API-level rules are proven end to end in SharingRulesTest.
 */
class ImagePolicyTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String OWNER = "100000000001";
    private static final String RECIPIENT = "100000000002";
    private static final Image NORMAL = image(ImageState.NORMAL, false);
    private static final Image IMPORTING = image(ImageState.IMPORTING, false);
    private static final Image PUBLIC = image(ImageState.NORMAL, true);

    @Test
    void aShareIsBoundToTheImageRegion() {
        assertThat(ImagePolicy.relation(NORMAL, RECIPIENT, GZ, () -> true)).isEqualTo(Relation.RECIPIENT);
        assertThat(ImagePolicy.relation(NORMAL, RECIPIENT, SH, () -> true)).isEqualTo(Relation.STRANGER);
        assertThat(ImagePolicy.relation(NORMAL, OWNER, SH, () -> false)).isEqualTo(Relation.STRANGER);
        assertThat(ImagePolicy.relation(NORMAL, RECIPIENT, GZ, () -> false)).isEqualTo(Relation.STRANGER);
        assertThat(ImagePolicy.relation(NORMAL, OWNER, GZ, () -> false)).isEqualTo(Relation.OWNER);
    }

    @Test
    void recipientCannotCopySharedImageToAnotherRegion() {
        assertRefused("InvalidParameterValue.InvalidRegion", () -> ImagePolicy.requireMayCopy(Relation.RECIPIENT, NORMAL, SH));
    }

    @Test
    void recipientMayCopyANormalSharedImageIntoItsOwnRegion() {
        assertThatCode(() -> ImagePolicy.requireMayCopy(Relation.RECIPIENT, NORMAL, GZ)).doesNotThrowAnyException();
        assertRefused("InvalidParameterValue.InvalidImageState",
                () -> ImagePolicy.requireMayCopy(Relation.RECIPIENT, IMPORTING, GZ));
    }

    @Test
    void ownerMayCopyOnlyANormalImageOnlyToOtherRegionsAndNobodyCopiesAPublicOne() {
        assertThatCode(() -> ImagePolicy.requireMayCopy(Relation.OWNER, NORMAL, SH)).doesNotThrowAnyException();
        assertRefused("InvalidParameterValue.InvalidRegion", () -> ImagePolicy.requireMayCopy(Relation.OWNER, NORMAL, GZ));
        assertRefused("InvalidParameterValue.InvalidImageState", () -> ImagePolicy.requireMayCopy(Relation.OWNER, IMPORTING, SH));
        assertRefused("InvalidParameterValue.InvalidImageId", () -> ImagePolicy.requireMayCopy(Relation.PUBLIC, PUBLIC, SH));
        assertRefused("InvalidParameterValue.InvalidImageId", () -> ImagePolicy.requireMayCopy(Relation.PUBLIC, PUBLIC, GZ));
    }

    @Test
    void strangerCopyOrExportLooksLikeAMissingImage() {
        assertRefused("InvalidImageId.NotFound", () -> ImagePolicy.requireMayCopy(Relation.STRANGER, NORMAL, SH));
        assertRefused("InvalidImageId.NotFound", () -> ImagePolicy.requireMayExport(Relation.STRANGER, NORMAL));
    }

    @Test
    void recipientCannotExportSharedImage() {
        assertRefused("UnsupportedOperation.SharedImageExportUnsupported",
                () -> ImagePolicy.requireMayExport(Relation.RECIPIENT, NORMAL));
    }

    @Test
    void ownerMayExportOnlyANormalImageAndNobodyExportsAPublicOne() {
        assertThatCode(() -> ImagePolicy.requireMayExport(Relation.OWNER, NORMAL)).doesNotThrowAnyException();
        assertRefused("InvalidParameterValue.InvalidImageState",
                () -> ImagePolicy.requireMayExport(Relation.OWNER, IMPORTING));
        assertRefused("UnsupportedOperation.PublicImageExportUnsupported",
                () -> ImagePolicy.requireMayExport(Relation.PUBLIC, PUBLIC));
    }

    @Test
    void recipientMayLaunchSharedImageOnlyInItsRegion() {
        assertThatCode(() -> ImagePolicy.requireMayLaunch(
                ImagePolicy.relation(NORMAL, RECIPIENT, GZ, () -> true), NORMAL, false)).doesNotThrowAnyException();
        assertRefused("InvalidImageId.NotFound", () -> ImagePolicy.requireMayLaunch(
                ImagePolicy.relation(NORMAL, RECIPIENT, SH, () -> true), NORMAL, false));
    }

    @Test
    void launchNeedsAVisibleNormalImage() {
        assertThatCode(() -> ImagePolicy.requireMayLaunch(Relation.OWNER, NORMAL, false)).doesNotThrowAnyException();
        assertThatCode(() -> ImagePolicy.requireMayLaunch(Relation.PUBLIC, PUBLIC, false)).doesNotThrowAnyException();
        assertRefused("InvalidImageId.NotFound", () -> ImagePolicy.requireMayLaunch(Relation.STRANGER, NORMAL, false));
        assertRefused("InvalidParameterValue.InvalidImageState",
                () -> ImagePolicy.requireMayLaunch(Relation.RECIPIENT, IMPORTING, false));
    }

    @Test
    void aRecipientThatDeclinedCannotLaunchButTheFlagMeansNothingToOthers() {
        assertRefused("InvalidParameterValue.InvalidImageId",
                () -> ImagePolicy.requireMayLaunch(Relation.RECIPIENT, NORMAL, true));
        assertThatCode(() -> ImagePolicy.requireMayLaunch(Relation.OWNER, NORMAL, true)).doesNotThrowAnyException();
    }

    @Test
    void onlyARecipientDeclinesOrAccepts() {
        assertThatCode(() -> ImagePolicy.requireRecipient(Relation.RECIPIENT, NORMAL)).doesNotThrowAnyException();
        assertRefused("InvalidParameterValue.InvalidImageId", () -> ImagePolicy.requireRecipient(Relation.OWNER, NORMAL));
        assertRefused("InvalidParameterValue.InvalidImageId", () -> ImagePolicy.requireRecipient(Relation.PUBLIC, PUBLIC));
        assertRefused("InvalidImageId.NotFound", () -> ImagePolicy.requireRecipient(Relation.STRANGER, NORMAL));
    }

    @Test
    void aShareIsInForceUntilTheInstantOfItsExpiry() {
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        Share expiring = new Share("img-abcd1234", RECIPIENT, at.minusSeconds(60), at, null);
        assertThat(ImagePolicy.inForce(expiring, at.minusMillis(1))).isTrue();
        assertThat(ImagePolicy.inForce(expiring, at)).isFalse();
        assertThat(ImagePolicy.inForce(new Share("img-abcd1234", RECIPIENT, at, null, null), at.plusSeconds(86400L * 3650)))
                .as("no expiry: until cancelled").isTrue();
    }

    @Test
    void anExpiryMustLieInTheFutureWithinTheHorizon() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Duration horizon = Duration.ofDays(30);
        assertThatCode(() -> ImagePolicy.requireValidExpiry(now.plusSeconds(1), now, horizon)).doesNotThrowAnyException();
        assertThatCode(() -> ImagePolicy.requireValidExpiry(now.plus(horizon), now, horizon)).doesNotThrowAnyException();
        assertRefused("InvalidParameterValue", () -> ImagePolicy.requireValidExpiry(now, now, horizon));
        assertRefused("InvalidParameterValue", () -> ImagePolicy.requireValidExpiry(now.minusSeconds(5), now, horizon));
        assertRefused("InvalidParameterValue",
                () -> ImagePolicy.requireValidExpiry(now.plus(horizon).plusSeconds(1), now, horizon));
    }

    private static void assertRefused(String code, ThrowingCallable check) {
        ApiException e = catchThrowableOfType(ApiException.class, check);
        assertThat(e).as("expected a refusal with " + code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
    }

    private static Image image(ImageState state, boolean isPublic) {
        return new Image("img-abcd1234", GZ, isPublic ? null : OWNER, isPublic, "golden", "", state,
                isPublic ? Image.SOURCE_OFFICIAL : Image.SOURCE_IMPORT, "CentOS 7", "CentOS", "x86_64",
                "TencentCloud", "Legacy BIOS", null, false, 1024, "ab".repeat(32), 100, "{}",
                Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    }
}
