package io.imagehub.api.model;


/** SystemDisk (spec 4.7). {@code DiskId} is output only. */
public record SystemDiskDto(@ApiMember(help = "Disk type (default CLOUD_PREMIUM).") String diskType,
                            @ApiMember(help = "Output only.") String diskId,
                            @ApiMember(help = "Size in GiB.", min = 1, max = 16384) Long diskSize,
                            @ApiMember(help = "Accepted and ignored.") String cdcId,
                            @ApiMember(help = "Accepted and ignored.") String diskName) {
}
