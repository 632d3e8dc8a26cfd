package io.imagehub.api.model;

/** SystemDisk (spec 4.7). {@code DiskId} is output only. */
public record SystemDiskDto(String diskType, String diskId, Long diskSize, String cdcId, String diskName) {
}
