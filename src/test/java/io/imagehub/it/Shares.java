package io.imagehub.it;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImageSharePermissionRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageSharePermissionRequest;
import com.tencentcloudapi.cvm.v20170312.models.SharePermission;
import java.util.Arrays;
import java.util.List;

/** SDK chores of the sharing tests and bench: share, cancel, read the share list, list what is shared with me. */
public final class Shares {
    private Shares() {
    }

    /** Returns the call's RequestId, as do the other changes here. */
    public static String share(CvmClient owner, String imageId, String... accountIds) throws TencentCloudSDKException {
        return modify(owner, imageId, "SHARE", accountIds);
    }

    public static String cancel(CvmClient owner, String imageId, String... accountIds) throws TencentCloudSDKException {
        return modify(owner, imageId, "CANCEL", accountIds);
    }

    public static String modify(CvmClient caller, String imageId, String permission, String... accountIds)
            throws TencentCloudSDKException {
        ModifyImageSharePermissionRequest request = new ModifyImageSharePermissionRequest();
        request.setImageId(imageId);
        request.setAccountIds(accountIds);
        request.setPermission(permission);
        return caller.ModifyImageSharePermission(request).getRequestId();
    }

    public static List<SharePermission> permissions(CvmClient caller, String imageId) throws TencentCloudSDKException {
        DescribeImageSharePermissionRequest request = new DescribeImageSharePermissionRequest();
        request.setImageId(imageId);
        return Arrays.asList(caller.DescribeImageSharePermission(request).getSharePermissionSet());
    }

    /** The account ids the image is shared with, as its owner reads them. */
    public static List<String> recipients(CvmClient owner, String imageId) throws TencentCloudSDKException {
        return permissions(owner, imageId).stream().map(SharePermission::getAccountId).toList();
    }

    /** One page (up to 100) of the images the caller sees with {@code image-type} SHARED_IMAGE. */
    public static List<Image> sharedWithMe(CvmClient caller) throws TencentCloudSDKException {
        return Arrays.asList(caller.DescribeImages(listing(0, 100, "SHARED_IMAGE")).getImageSet());
    }

    /** A DescribeImages page, narrowed to the given image types if any are given. */
    public static DescribeImagesRequest listing(long offset, long limit, String... imageTypes) {
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setOffset(offset);
        request.setLimit(limit);
        if (imageTypes.length > 0) {
            request.setFilters(new Filter[] {FoundationTest.filter("image-type", imageTypes)});
        }
        return request;
    }

    public static String delete(CvmClient owner, String... imageIds) throws TencentCloudSDKException {
        DeleteImagesRequest request = new DeleteImagesRequest();
        request.setImageIds(imageIds);
        return owner.DeleteImages(request).getRequestId();
    }
}
