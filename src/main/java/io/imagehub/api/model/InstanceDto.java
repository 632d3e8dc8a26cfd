package io.imagehub.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagehub.domain.Instance;
import io.imagehub.domain.InstanceState;
import java.util.List;
import java.util.Map;

/** Tencent's Instance (spec 4.6): the members of our subset; the rest are fixed values or absent. */
public record InstanceDto(PlacementDto placement, String instanceId, String instanceType, @JsonProperty("CPU") Long cpu,
                          Long memory, String restrictState, String instanceName, String instanceChargeType,
                          SystemDiskDto systemDisk, List<Object> dataDisks, List<String> privateIpAddresses,
                          String imageId, String createdTime, String osName, List<String> securityGroupIds,
                          Map<String, Object> loginSettings, String instanceState, List<TagDto> tags,
                          String stopChargingMode, String uuid, String latestOperation, String latestOperationState,
                          String latestOperationRequestId, String isolatedSource, String licenseType,
                          Boolean disableApiTermination) {

    public static InstanceDto of(Instance i) {
        return new InstanceDto(new PlacementDto(i.zone(), 0L, null), i.instanceId(), i.instanceType(),
                (long) i.cpu(), (long) i.memoryGiB(), "NORMAL", i.name(), "POSTPAID_BY_HOUR",
                new SystemDiskDto(i.diskType(), i.diskId(), (long) i.diskSizeGiB(), null, null), List.of(),
                List.of(i.privateIp()), i.imageId(), ImageDto.time(i.createdAt()), i.osName(), List.of(), Map.of(),
                i.state().name(), List.of(), i.state() == InstanceState.STOPPED ? "KEEP_CHARGING" : "NOT_APPLICABLE",
                i.uuid(), i.latestOperation(), i.latestOperationState(), i.latestOperationRequestId(), "NOTISOLATED",
                i.licenseType(), false);
    }
}
