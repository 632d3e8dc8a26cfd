package io.imagehub.domain;

/** The Tencent error codes imagehub answers with, named once so that a typo cannot invent a new one. */
public final class ErrorCodes {
    private ErrorCodes() {
    }

    public static final String AUTH_INVALID_AUTHORIZATION = "AuthFailure.InvalidAuthorization";
    public static final String AUTH_INVALID_SECRET_ID = "AuthFailure.InvalidSecretId";
    public static final String AUTH_SECRET_ID_NOT_FOUND = "AuthFailure.SecretIdNotFound";
    public static final String AUTH_SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire";
    public static final String AUTH_SIGNATURE_FAILURE = "AuthFailure.SignatureFailure";
    public static final String AUTH_TOKEN_FAILURE = "AuthFailure.TokenFailure";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String INVALID_ACTION = "InvalidAction";
    public static final String INVALID_PARAMETER = "InvalidParameter";
    public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    public static final String MISSING_PARAMETER = "MissingParameter";
    public static final String UNKNOWN_PARAMETER = "UnknownParameter";
    public static final String NO_SUCH_VERSION = "NoSuchVersion";
    public static final String UNSUPPORTED_REGION = "UnsupportedRegion";
    public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
    public static final String UNSUPPORTED_OPERATION = "UnsupportedOperation";
    public static final String REQUEST_SIZE_LIMIT_EXCEEDED = "RequestSizeLimitExceeded";
    public static final String LIMIT_EXCEEDED = "LimitExceeded";
    /** Throttling (spec 1.10 step 6): too many calls per second (docs/adr/0015-request-limits.md). */
    public static final String REQUEST_LIMIT_EXCEEDED = "RequestLimitExceeded";
    /** ExportImages: the account has as many exports under way as it may (spec 3.4). */
    public static final String EXPORT_TASK_LIMIT_EXCEEDED = "LimitExceeded.ExportImageTaskLimitExceeded";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    public static final String INVALID_FILTER = "InvalidFilter";
    public static final String INVALID_FILTER_VALUE_LIMIT_EXCEEDED = "InvalidFilterValue.LimitExceeded";
    public static final String IDS_AND_FILTERS = "InvalidParameter.InvalidParameterCoexistImageIdsFilters";
    public static final String INVALID_PARAMETER_VALUE_LIMIT = "InvalidParameterValue.InvalidParameterValueLimit";
    public static final String INVALID_PARAMETER_VALUE_LIMIT_EXCEEDED = "InvalidParameterValue.LimitExceeded";
    public static final String INVALID_PARAMETER_VALUE_TOO_LARGE = "InvalidParameterValue.TooLarge";
    public static final String INVALID_URL = "InvalidParameter.InvalidParameterUrlError";
    public static final String INVALID_BOOT_MODE = "InvalidParameterValue.InvalidBootMode";
    public static final String INVALID_LICENSE_TYPE = "InvalidParameterValue.InvalidLicenseType";
    public static final String INVALID_IMAGE_FAMILY = "InvalidParameterValue.InvalidImageFamily";
    public static final String ISO_MUST_IMPORT_BY_FORCE = "InvalidParameterValue.ISOMustImportByForce";
    public static final String INVALID_OS_TYPE = "InvalidImageOsType.Unsupported";
    public static final String INVALID_OS_VERSION = "InvalidImageOsVersion.Unsupported";

    public static final String IMAGE_ID_MALFORMED = "InvalidImageId.Malformed";
    public static final String IMAGE_ID_NOT_FOUND = "InvalidImageId.NotFound";
    public static final String IMAGE_ID_INCORRECT_STATE = "InvalidImageId.IncorrectState";
    public static final String IMAGE_ID_IN_SHARED = "InvalidImageId.InShared";
    public static final String IMAGE_NAME_DUPLICATE = "InvalidImageName.Duplicate";
    public static final String IMAGE_QUOTA_LIMIT_EXCEEDED = "ImageQuotaLimitExceeded";
    public static final String INVALID_IMAGE_ID_IS_SHARED = "InvalidParameterValue.InvalidImageIdIsShared";
    public static final String INVALID_IMAGE_ID_VALUE = "InvalidParameterValue.InvalidImageId";
    public static final String INVALID_IMAGE_STATE = "InvalidParameterValue.InvalidImageState";
    public static final String IMAGE_NOT_BELONG_TO_ACCOUNT = "UnauthorizedOperation.ImageNotBelongToAccount";
    public static final String SHARED_IMAGE_MODIFY_UNSUPPORTED = "UnsupportedOperation.SharedImageModifyUnsupported";
    public static final String PUBLIC_IMAGE_EXPORT_UNSUPPORTED = "UnsupportedOperation.PublicImageExportUnsupported";
    public static final String SHARED_IMAGE_EXPORT_UNSUPPORTED = "UnsupportedOperation.SharedImageExportUnsupported";
    public static final String ACCOUNT_NOT_FOUND = "InvalidAccountId.NotFound";
    public static final String ACCOUNT_IS_YOURSELF = "InvalidAccountIs.YourSelf";
    public static final String OVER_QUOTA = "OverQuota";
    public static final String INVALID_REGION_NOT_FOUND = "InvalidRegion.NotFound";
    public static final String BUCKET_NOT_FOUND = "InvalidParameterValue.BucketNotFound";
    public static final String INVALID_FILE_NAME_PREFIX_LIST = "InvalidParameterValue.InvalidFileNamePrefixList";
    public static final String INVALID_REGION_VALUE = "InvalidParameterValue.InvalidRegion";

    public static final String INSTANCE_ID_MALFORMED = "InvalidInstanceId.Malformed";
    public static final String INSTANCE_ID_NOT_FOUND = "InvalidInstanceId.NotFound";
    public static final String INSTANCE_OPERATION_IN_PROGRESS = "OperationDenied.InstanceOperationInProgress";
    public static final String INSTANCE_QUOTA_EXCEEDED = "LimitExceeded.InstanceQuota";
    public static final String INSTANCE_COUNT_OUT_OF_RANGE = "InvalidParameterValue.Range";
    public static final String INSTANCE_NAME_TOO_LONG = "InvalidInstanceName.TooLong";
    public static final String INSTANCE_TYPE_MALFORMED = "InvalidInstanceType.Malformed";
    public static final String INSTANCE_TYPE_NOT_FOUND = "InvalidParameterValue.InstanceTypeNotFound";
    public static final String WEBHOOK_NOT_FOUND = "ResourceNotFound.Webhook";
    public static final String ZONE_INSTANCE_TYPE_NOT_FOUND = "ResourceNotFound.InvalidZoneInstanceType";
    public static final String INSTANCE_CHARGE_TYPE_UNSUPPORTED = "UnsupportedOperation.InstanceChargeType";
    public static final String CLIENT_TOKEN_TOO_LONG = "InvalidClientToken.TooLong";
    public static final String ZONE_MISMATCH_REGION = "InvalidZone.MismatchRegion";
    public static final String ZONE_NOT_SUPPORTED = "InvalidParameterValue.ZoneNotSupported";
    public static final String INVALID_PARAMETER_COMBINATION = "InvalidParameterCombination";
    public static final String SPECIFY_ONE_PARAMETER = "InvalidParameter.SpecifyOneParameter";
    public static final String INVALID_PASSWORD = "InvalidParameterValue.InvalidPassword";
    public static final String PARAMETER_CONFLICT = "InvalidParameter.ParameterConflict";
    public static final String INVALID_PARAMETER_CONFLICT = "InvalidParameterConflict";
    public static final String ENCRYPTED_IMAGES_UNSUPPORTED = "UnsupportedOperation.EncryptedImagesNotSupported";
    public static final String STOPPED_MODE_STOP_CHARGING_UNSUPPORTED = "UnsupportedOperation.StoppedModeStopCharging";
    public static final String DATA_DISK_NOT_OF_INSTANCE = "InvalidParameter.DataDiskNotBelongSpecifiedInstance";
}
