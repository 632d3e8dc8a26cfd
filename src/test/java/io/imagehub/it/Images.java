package io.imagehub.it;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesResponse;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ImportImageRequest;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageAttributeRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** SDK chores the image tests share: import an image and wait for it, look one up by id. */
public final class Images {
    private Images() {
    }

    /** The id of the first public image the caller's region lists. */
    public static String firstPublic(CvmClient client) throws TencentCloudSDKException {
        DescribeImagesRequest publicOnly = new DescribeImagesRequest();
        publicOnly.setFilters(new Filter[] {FoundationTest.filter("image-type", "PUBLIC_IMAGE")});
        return client.DescribeImages(publicOnly).getImageSet()[0].getImageId();
    }

    /** A valid CentOS 7 x86_64 import request. */
    public static ImportImageRequest importRequest(String url, String name) {
        ImportImageRequest request = new ImportImageRequest();
        request.setArchitecture("x86_64");
        request.setOsType("CentOS");
        request.setOsVersion("7");
        request.setImageUrl(url);
        request.setImageName(name);
        return request;
    }

    public static String importImage(CvmClient client, String url, String name) throws TencentCloudSDKException {
        return client.ImportImage(importRequest(url, name)).getImageId();
    }

    /** Imports and waits until the image is NORMAL. */
    public static String importReady(CvmClient client, String url, String name) throws TencentCloudSDKException {
        String id = importImage(client, url, name);
        Image image = awaitSettled(client, id);
        if (!"NORMAL".equals(image.getImageState())) {
            throw new IllegalStateException("import of " + id + " ended " + image.getImageState());
        }
        return id;
    }

    /** Renames the image; returns the call's RequestId. */
    public static String rename(CvmClient client, String imageId, String name) throws TencentCloudSDKException {
        ModifyImageAttributeRequest request = new ModifyImageAttributeRequest();
        request.setImageId(imageId);
        request.setImageName(name);
        return client.ModifyImageAttribute(request).getRequestId();
    }

    public static Optional<Image> find(CvmClient client, String imageId) throws TencentCloudSDKException {
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setImageIds(new String[] {imageId});
        DescribeImagesResponse response = client.DescribeImages(request);
        return response.getImageSet().length == 0 ? Optional.empty() : Optional.of(response.getImageSet()[0]);
    }

    /** Polls until the image leaves IMPORTING/CREATING/SYNCING (at most 60 s). */
    public static Image awaitSettled(CvmClient client, String imageId) throws TencentCloudSDKException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Image image = find(client, imageId).orElseThrow(() -> new IllegalStateException(imageId + " vanished"));
            String state = image.getImageState();
            if (!state.equals("IMPORTING") && !state.equals("CREATING") && !state.equals("SYNCING")) {
                return image;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(imageId + " still " + state + " after 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
