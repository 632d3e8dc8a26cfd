package io.imagehub.domain;

import java.time.Instant;

/**
 * An instance as stored. There is no real VM: its system disk is a copy-on-write clone of the image it was launched
 * from (or reinstalled with), kept as that image's chunk manifest by the {@link InstanceRepository}, so launching
 * copies no image bytes and deleting the image does not take the disk away.
 *
 * @param imageOwnerId owner of the image the disk came from, null for a public image (recorded for lineage)
 */
public record Instance(String instanceId, String uuid, String ownerId, String region, String zone,
                       String instanceType, int cpu, int memoryGiB, String name, InstanceState state,
                       String imageId, String imageOwnerId, String osName, String platform, String architecture,
                       String licenseType, String bootMode, String diskId, String diskType, int diskSizeGiB,
                       String privateIp, String latestOperation, String latestOperationState,
                       String latestOperationRequestId, Instant createdAt) {

    public static final String OPERATING = "OPERATING";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILED = "FAILED";

    /** Another operation is still under way on a settled instance (a reinstall, an image capture). */
    public boolean operationInProgress() {
        return OPERATING.equals(latestOperationState);
    }
}
