package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;

/**
 * How an instance's administrator logs in (spec 4.7, 5.9). There is no VM, so a password is checked and never
 * stored; whether it is complex enough depends on the image's platform, so the check runs once the image is known.
 *
 * @param password       null when not given (Tencent then mails a random one)
 * @param keepImageLogin keep the image's own login settings: only for custom, shared or imported images
 */
public record LoginSettings(String password, boolean keepImageLogin) {
    public static final LoginSettings DEFAULT = new LoginSettings(null, false);
    private static final String SPECIALS = "()`~!@#$%^&*-+=|{}[]:;',.?/";

    public void requireValidFor(Image image) {
        if (keepImageLogin && image.isPublic()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`KeepImageLogin` needs a custom, shared or imported image; `"
                    + image.imageId() + "` is a public image.");
        }
        if (password == null) {
            return;
        }
        boolean windows = "Windows".equalsIgnoreCase(image.platform());
        int min = windows ? 12 : 8;
        int classesNeeded = windows ? 3 : 2;
        boolean onlyAllowed = password.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
                || SPECIALS.indexOf(c) >= 0));
        int classes = (password.chars().anyMatch(Character::isLowerCase) ? 1 : 0)
                + (password.chars().anyMatch(Character::isUpperCase) ? 1 : 0)
                + (password.chars().anyMatch(Character::isDigit) ? 1 : 0)
                + (password.chars().anyMatch(c -> SPECIALS.indexOf(c) >= 0) ? 1 : 0);
        if (password.length() < min || password.length() > 30 || !onlyAllowed || classes < classesNeeded) {
            throw new ApiException(ErrorCodes.INVALID_PASSWORD, "The password must be " + min + " to 30 characters with "
                    + "at least " + classesNeeded + " of: lower-case, upper-case, digits, special characters "
                    + SPECIALS + " (" + (windows ? "Windows" : "Linux") + " image).");
        }
    }
}
