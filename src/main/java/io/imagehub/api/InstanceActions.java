package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.CLIENT_TOKEN_TOO_LONG;
import static io.imagehub.domain.ErrorCodes.INSTANCE_CHARGE_TYPE_UNSUPPORTED;
import static io.imagehub.domain.ErrorCodes.INSTANCE_COUNT_OUT_OF_RANGE;
import static io.imagehub.domain.ErrorCodes.INSTANCE_NAME_TOO_LONG;
import static io.imagehub.domain.ErrorCodes.INSTANCE_TYPE_MALFORMED;
import static io.imagehub.domain.ErrorCodes.INSTANCE_TYPE_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.INVALID_FILTER;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_COMBINATION;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.PARAMETER_CONFLICT;
import static io.imagehub.domain.ErrorCodes.SPECIFY_ONE_PARAMETER;
import static io.imagehub.domain.ErrorCodes.UNSUPPORTED_OPERATION;
import static io.imagehub.domain.ErrorCodes.ZONE_INSTANCE_TYPE_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.ZONE_MISMATCH_REGION;
import static io.imagehub.domain.ErrorCodes.ZONE_NOT_SUPPORTED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagehub.api.ImageActions.ImageIdResponse;
import io.imagehub.api.model.ApiMember;
import io.imagehub.api.model.FilterDto;
import io.imagehub.api.model.InstanceDto;
import io.imagehub.api.model.PlacementDto;
import io.imagehub.api.model.SystemDiskDto;
import io.imagehub.api.model.TagSpecificationDto;
import io.imagehub.config.InstanceTypeConfig;
import io.imagehub.config.RegionConfig;
import io.imagehub.config.RegionConfig.ZoneConfig;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImportService;
import io.imagehub.domain.InstanceQuery;
import io.imagehub.domain.InstanceService;
import io.imagehub.domain.InstanceService.LaunchSpec;
import io.imagehub.domain.Instance;
import io.imagehub.domain.InstanceState;
import io.imagehub.domain.LoginSettings;
import io.imagehub.domain.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instance actions (spec 3.15-3.23) and CreateImage: request shapes, parameter checks against the configured
 * zones and instance-type catalogue, and the mapping onto {@link InstanceService}.
 */
public final class InstanceActions {
    private static final int MAX_INSTANCE_COUNT = 500;
    private static final int MAX_NAME = 128;
    private static final int MAX_CLIENT_TOKEN = 64;
    private static final int MAX_LIMIT = 100;
    private static final int MAX_DESCRIBE_FILTER_VALUES = 5;
    private static final String DEFAULT_NAME = "未命名";
    private static final String DEFAULT_DISK_TYPE = "CLOUD_PREMIUM";
    private static final List<String> SYSTEM_DISK_TYPES = List.of("LOCAL_BASIC", "LOCAL_SSD", "CLOUD_BASIC",
            "CLOUD_SSD", "CLOUD_PREMIUM", "CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_TSSD");
    private static final List<String> CHARGE_TYPES = List.of("PREPAID", "POSTPAID_BY_HOUR", "CDHPAID", "SPOTPAID",
            "CDCPAID");
    private static final List<String> STOP_TYPES = List.of("SOFT", "HARD", "SOFT_FIRST");
    private static final List<String> TRUE_FALSE = List.of("true", "false");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[A-Z][A-Z0-9]*\\.[A-Z0-9]+");
    /** {R:x} numbers multi-instance names from x; {R:x,F:y} zero-pads them to y digits. */
    private static final Pattern NAME_COUNTER = Pattern.compile("\\{R:(\\d{1,9})(?:,F:([0-8]))?}");

    private final InstanceService instances;
    private final List<RegionConfig> regions;
    private final List<InstanceTypeConfig> types;

    public InstanceActions(InstanceService instances, List<RegionConfig> regions, List<InstanceTypeConfig> types) {
        this.instances = instances;
        this.regions = List.copyOf(regions);
        this.types = List.copyOf(types);
    }

    public void register(ActionRegistry registry) {
        registry.register("RunInstances", RunInstancesRequest.class,
                "Launches simulated instances whose disks are copy-on-write clones of an image.", this::runInstances);
        registry.register("DescribeInstances", DescribeInstancesRequest.class,
                "Lists the caller's instances.", this::describeInstances);
        registry.register("StartInstances", StartInstancesRequest.class, "Starts stopped instances.",
                (ctx, r) -> done(() -> instances.start(ctx, Params.instanceIds(r.instanceIds(), "InstanceIds"))));
        registry.register("StopInstances", StopInstancesRequest.class, "Stops running instances.",
                this::stopInstances);
        registry.register("RebootInstances", RebootInstancesRequest.class, "Reboots running instances.",
                this::rebootInstances);
        registry.register("TerminateInstances", TerminateInstancesRequest.class, "Terminates instances.",
                (ctx, r) -> done(() -> instances.terminate(ctx, Params.instanceIds(r.instanceIds(), "InstanceIds"))));
        registry.register("ResetInstance", ResetInstanceRequest.class,
                "Reinstalls an instance's system disk from an image (its own image if none is given).",
                this::resetInstance);
        registry.register("CreateImage", CreateImageRequest.class,
                "Captures an instance's system disk as a new custom image.", this::createImage);
        registry.register("DescribeInstanceTypeConfigs", DescribeInstanceTypeConfigsRequest.class,
                "Lists the instance types sold in the region's zones.", this::typeConfigs);
    }

    private static Object done(Runnable action) {
        action.run();
        return null;
    }

    public record RunInstancesRequest(
            @ApiMember(help = "Where the instances run.", required = true) PlacementDto placement,
            @ApiMember(help = "The image to launch (img-xxxxxxxx).", required = true) String imageId,
            @ApiMember(help = "Only POSTPAID_BY_HOUR is offered.", allowed = {"PREPAID", "POSTPAID_BY_HOUR", "CDHPAID",
                    "SPOTPAID", "CDCPAID"}) String instanceChargeType,
            @ApiMember(help = "Instance type, e.g. S5.MEDIUM4 (default: the first sold in the zone).")
            String instanceType,
            @ApiMember(help = "System disk type and size.") SystemDiskDto systemDisk,
            @ApiMember(help = "How many instances (default 1).", min = 1, max = MAX_INSTANCE_COUNT) Long instanceCount,
            @ApiMember(help = "Name; {R:x} numbers several instances from x.", maxLength = MAX_NAME)
            String instanceName,
            @ApiMember(help = "Password, or KeepImageLogin true.") LoginSettingsDto loginSettings,
            @ApiMember(help = "Idempotency token.", maxLength = MAX_CLIENT_TOKEN) String clientToken,
            @ApiMember(help = "Check the request only.") Boolean dryRun) {
    }

    public record LoginSettingsDto(@ApiMember(help = "Login password.") String password,
                                   @ApiMember(help = "Key pairs: not supported.") List<String> keyIds,
                                   @ApiMember(help = "Keep the image's login settings.", allowed = {"true", "false"})
                                   String keepImageLogin) {
    }

    /** Password, or KeepImageLogin "true", or neither; key pairs do not exist here. */
    private static LoginSettings login(LoginSettingsDto dto) {
        if (dto == null) {
            return LoginSettings.DEFAULT;
        }
        Params.oneOf(dto.keepImageLogin(), TRUE_FALSE, "LoginSettings.KeepImageLogin");
        boolean keep = "true".equals(dto.keepImageLogin());
        boolean keys = dto.keyIds() != null && !dto.keyIds().isEmpty();
        if (keep && (dto.password() != null || keys)) {
            throw new ApiException(PARAMETER_CONFLICT,
                    "`KeepImageLogin` cannot be combined with `Password` or `KeyIds`.");
        }
        if (dto.password() != null && keys) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_CONFLICT, "`Password` and `KeyIds` cannot both be given.");
        }
        if (keys) {
            throw new ApiException(UNSUPPORTED_OPERATION, "Key pairs are not supported; use `Password`.");
        }
        return new LoginSettings(dto.password(), keep);
    }

    public record RunInstancesResponse(List<String> instanceIdSet) {
    }

    Object runInstances(CallContext ctx, RunInstancesRequest r) {
        Params.require(r.placement(), "Placement");
        String zone = zone(ctx, Params.require(r.placement().zone(), "Placement.Zone"));
        if (r.placement().hostIds() != null && !r.placement().hostIds().isEmpty()) {
            throw new ApiException(UNSUPPORTED_OPERATION, "Dedicated hosts (`Placement.HostIds`) are not supported.");
        }
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        Params.oneOf(r.instanceChargeType(), CHARGE_TYPES, "InstanceChargeType");
        if (r.instanceChargeType() != null && !r.instanceChargeType().equals("POSTPAID_BY_HOUR")) {
            throw new ApiException(INSTANCE_CHARGE_TYPE_UNSUPPORTED, "Only `POSTPAID_BY_HOUR` instances are offered.");
        }
        InstanceTypeConfig type = instanceType(zone, r.instanceType());
        long count = r.instanceCount() == null ? 1 : r.instanceCount();
        if (count < 1 || count > MAX_INSTANCE_COUNT) {
            throw new ApiException(INSTANCE_COUNT_OUT_OF_RANGE,
                    "`InstanceCount` must be between 1 and " + MAX_INSTANCE_COUNT + ", not " + count + ".");
        }
        if (r.clientToken() != null && r.clientToken().length() > MAX_CLIENT_TOKEN) {
            throw new ApiException(CLIENT_TOKEN_TOO_LONG, "`ClientToken` is longer than " + MAX_CLIENT_TOKEN + " characters.");
        }
        SystemDiskDto disk = r.systemDisk();
        String diskType = disk == null || disk.diskType() == null ? DEFAULT_DISK_TYPE
                : Params.oneOf(disk.diskType(), SYSTEM_DISK_TYPES, "SystemDisk.DiskType");
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        List<String> ids = instances.run(ctx, new LaunchSpec(r.imageId(), zone, type.instanceType(), type.cpu(),
                type.memory(), names(r.instanceName(), (int) count), diskType, diskSize(disk), login(r.loginSettings())),
                r.clientToken(), dryRun);
        return new RunInstancesResponse(ids);
    }

    /** Multi-instance naming (spec 3.15): a {R:x} counter if present, else suffixes 1..n; one instance keeps its name. */
    static List<String> names(String requested, int count) {
        String base = requested == null || requested.isEmpty() ? DEFAULT_NAME : requested;
        if (base.codePointCount(0, base.length()) > MAX_NAME) {
            throw new ApiException(INSTANCE_NAME_TOO_LONG, "`InstanceName` is longer than " + MAX_NAME + " characters.");
        }
        Matcher counter = NAME_COUNTER.matcher(base);
        boolean numbered = counter.find();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name;
            if (numbered) {
                long n = Long.parseLong(counter.group(1)) + i;
                String digits = counter.group(2) == null ? Long.toString(n)
                        : String.format("%0" + Math.max(1, Integer.parseInt(counter.group(2))) + "d", n);
                name = base.substring(0, counter.start()) + digits + base.substring(counter.end());
            } else {
                name = count == 1 ? base : base + (i + 1);
            }
            if (name.codePointCount(0, name.length()) > MAX_NAME) {
                throw new ApiException(INSTANCE_NAME_TOO_LONG, "The instance name `" + name + "` is longer than "
                        + MAX_NAME + " characters.");
            }
            names.add(name);
        }
        return names;
    }

    private static Integer diskSize(SystemDiskDto disk) {
        if (disk == null || disk.diskSize() == null) {
            return null;
        }
        if (disk.diskSize() < 1 || disk.diskSize() > 16384) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`SystemDisk.DiskSize` must be between 1 and 16384 GiB.");
        }
        return disk.diskSize().intValue();
    }

    /** The zone, which must be one of the request region's and on sale. */
    private String zone(CallContext ctx, String zone) {
        ZoneConfig config = region(ctx).zones().stream().filter(z -> z.zone().equals(zone)).findFirst()
                .orElseThrow(() -> new ApiException(ZONE_MISMATCH_REGION,
                        "The zone `" + zone + "` is not a zone of the region `" + ctx.region() + "`."));
        if (!config.available()) {
            throw new ApiException(ZONE_NOT_SUPPORTED, "The zone `" + zone + "` is not available.");
        }
        return zone;
    }

    private RegionConfig region(CallContext ctx) {
        return regions.stream().filter(r -> r.region().equals(ctx.region())).findFirst().orElseThrow();
    }

    /** The requested type, or without one the first type of the catalogue sold in the zone. */
    private InstanceTypeConfig instanceType(String zone, String requested) {
        if (requested == null) {
            return types.stream().filter(t -> t.soldIn(zone)).findFirst().orElseThrow(() -> new ApiException(
                    ZONE_INSTANCE_TYPE_NOT_FOUND, "No instance type is sold in the zone `" + zone + "`."));
        }
        if (!INSTANCE_TYPE.matcher(requested).matches()) {
            throw new ApiException(INSTANCE_TYPE_MALFORMED, "The instance type `" + requested + "` is malformed.");
        }
        InstanceTypeConfig type = types.stream().filter(t -> t.instanceType().equals(requested)).findFirst()
                .orElseThrow(() -> new ApiException(INSTANCE_TYPE_NOT_FOUND,
                        "The instance type `" + requested + "` does not exist."));
        if (!type.soldIn(zone)) {
            throw new ApiException(ZONE_INSTANCE_TYPE_NOT_FOUND,
                    "The instance type `" + requested + "` is not sold in the zone `" + zone + "`.");
        }
        return type;
    }

    public record DescribeInstancesRequest(
            @ApiMember(help = "Instance ids (ins-xxxxxxxx); not together with Filters.", maxItems = Params.MAX_IDS)
            List<String> instanceIds,
            @ApiMember(help = "Filters: instance-id, zone, instance-name, instance-state.", maxItems = Params.MAX_FILTERS)
            List<FilterDto> filters,
            @ApiMember(help = "Offset of the first instance returned.", min = 0) Long offset,
            @ApiMember(help = "Instances per page (default 20).", min = 0, max = MAX_LIMIT) Long limit) {
    }

    public record DescribeInstancesResponse(long totalCount, List<InstanceDto> instanceSet) {
    }

    Object describeInstances(CallContext ctx, DescribeInstancesRequest r) {
        if (r.instanceIds() != null && r.filters() != null) {
            throw new ApiException(INVALID_PARAMETER, "`InstanceIds` and `Filters` cannot be given together.");
        }
        long offset = r.offset() == null ? 0 : r.offset();
        long limit = r.limit() == null || r.limit() == 0 ? 20 : r.limit();
        if (limit > MAX_LIMIT) {
            throw new ApiException(INVALID_PARAMETER_VALUE_LIMIT_EXCEEDED, "`Limit` can be at most " + MAX_LIMIT + ".");
        }
        if (offset < 0 || limit < 0 || offset > Integer.MAX_VALUE) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`Offset` and `Limit` must not be negative.");
        }
        List<String> ids = new ArrayList<>();
        if (r.instanceIds() != null) {
            Params.maxCount(r.instanceIds(), Params.MAX_IDS, "InstanceIds");
            r.instanceIds().forEach(id -> ids.add(Params.instanceId(id)));
        }
        List<String> zones = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<InstanceState> states = new ArrayList<>();
        for (FilterDto f : Params.filters(r.filters(), MAX_DESCRIBE_FILTER_VALUES)) {
            switch (f.name()) {
                case "instance-id" -> ids.addAll(f.values().stream().map(Params::instanceId).toList());
                case "zone" -> f.values().forEach(z -> zones.add(zone(ctx, z)));
                case "instance-name" -> names.addAll(f.values());
                case "instance-state" -> f.values().forEach(v -> states.add(state(v)));
                default -> throw new ApiException(INVALID_FILTER, "The filter `" + f.name() + "` is not supported.");
            }
        }
        Page<Instance> page = instances.describe(new InstanceQuery(ctx.accountId(), ctx.region(), ids, zones, names,
                states, (int) offset, (int) limit));
        return new DescribeInstancesResponse(page.totalCount(), page.items().stream().map(InstanceDto::of).toList());
    }

    private static InstanceState state(String value) {
        return Arrays.stream(InstanceState.values()).filter(s -> s.name().equals(value)).findFirst()
                .orElseThrow(() -> new ApiException(INVALID_PARAMETER_VALUE,
                        "`instance-state` has no value `" + value + "`."));
    }

    public record StartInstancesRequest(
            @ApiMember(help = "The instances.", required = true, maxItems = Params.MAX_IDS) List<String> instanceIds) {
    }

    public record StopInstancesRequest(
            @ApiMember(help = "The instances.", required = true, maxItems = Params.MAX_IDS) List<String> instanceIds,
            @ApiMember(help = "Deprecated; use StopType.") Boolean forceStop,
            @ApiMember(help = "How to stop.", allowed = {"SOFT", "HARD", "SOFT_FIRST"}) String stopType,
            @ApiMember(help = "Only KEEP_CHARGING is offered.", allowed = {"KEEP_CHARGING", "STOP_CHARGING"})
            String stoppedMode) {
    }

    Object stopInstances(CallContext ctx, StopInstancesRequest r) {
        List<String> ids = Params.instanceIds(r.instanceIds(), "InstanceIds");
        checkStopType(r.forceStop(), r.stopType());
        if ("STOP_CHARGING".equals(r.stoppedMode())) {
            throw new ApiException(ErrorCodes.STOPPED_MODE_STOP_CHARGING_UNSUPPORTED,
                    "Stopped instances keep charging here; `STOP_CHARGING` is not offered.");
        }
        Params.oneOf(r.stoppedMode(), List.of("KEEP_CHARGING"), "StoppedMode");
        instances.stop(ctx, ids);
        return null;
    }

    public record RebootInstancesRequest(
            @ApiMember(help = "The instances.", required = true, maxItems = Params.MAX_IDS) List<String> instanceIds,
            @ApiMember(help = "Deprecated; use StopType.") Boolean forceReboot,
            @ApiMember(help = "How to stop.", allowed = {"SOFT", "HARD", "SOFT_FIRST"}) String stopType) {
    }

    Object rebootInstances(CallContext ctx, RebootInstancesRequest r) {
        List<String> ids = Params.instanceIds(r.instanceIds(), "InstanceIds");
        checkStopType(r.forceReboot(), r.stopType());
        instances.reboot(ctx, ids);
        return null;
    }

    private static void checkStopType(Boolean force, String stopType) {
        if (force != null && stopType != null) {
            throw new ApiException(INVALID_PARAMETER_COMBINATION, "The deprecated force flag cannot be combined with `StopType`.");
        }
        Params.oneOf(stopType, STOP_TYPES, "StopType");
    }

    public record TerminateInstancesRequest(
            @ApiMember(help = "The instances.", required = true, maxItems = Params.MAX_IDS) List<String> instanceIds,
            @ApiMember(help = "Accepted and ignored.") Boolean releaseAddress,
            @ApiMember(help = "Accepted and ignored.") Boolean releasePrepaidDataDisks) {
    }

    public record ResetInstanceRequest(
            @ApiMember(help = "The instance (ins-xxxxxxxx).", required = true) String instanceId,
            @ApiMember(help = "The image to reinstall from (default: the instance's own).") String imageId,
            @ApiMember(help = "A new system disk size (the type cannot change).") SystemDiskDto systemDisk,
            @ApiMember(help = "Password, or KeepImageLogin true.") LoginSettingsDto loginSettings) {
    }

    Object resetInstance(CallContext ctx, ResetInstanceRequest r) {
        Params.instanceId(Params.require(r.instanceId(), "InstanceId"));
        if (r.imageId() != null) {
            Params.imageId(r.imageId());
        }
        if (r.systemDisk() != null && r.systemDisk().diskType() != null) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "ResetInstance cannot change `SystemDisk.DiskType`.");
        }
        instances.reset(ctx, r.instanceId(), r.imageId(), diskSize(r.systemDisk()), login(r.loginSettings()));
        return null;
    }

    public record CreateImageRequest(
            @ApiMember(help = "Name of the new image.", required = true, maxLength = Params.MAX_IMAGE_NAME)
            String imageName,
            @ApiMember(help = "The instance to capture (ins-xxxxxxxx).") String instanceId,
            @ApiMember(help = "Description.", maxLength = Params.MAX_IMAGE_DESCRIPTION) String imageDescription,
            @ApiMember(help = "Stop a running instance first.", allowed = {"true", "false"}) String forcePoweroff,
            @ApiMember(help = "Accepted (Windows only).", allowed = {"true", "false"}) String sysprep,
            @ApiMember(help = "Data disks: the instances have none.") List<String> dataDiskIds,
            @ApiMember(help = "Snapshots: not supported.") List<String> snapshotIds,
            @ApiMember(help = "Check the request only.") Boolean dryRun,
            @ApiMember(help = "Tags of the new image.") List<TagSpecificationDto> tagSpecification,
            @ApiMember(help = "Image family.", maxLength = Params.MAX_IMAGE_NAME) String imageFamily) {
    }

    Object createImage(CallContext ctx, CreateImageRequest r) {
        Params.require(r.imageName(), "ImageName");
        Params.maxLength(r.imageName(), Params.MAX_IMAGE_NAME, "ImageName");
        Params.maxLength(r.imageDescription(), Params.MAX_IMAGE_DESCRIPTION, "ImageDescription");
        boolean fromSnapshots = r.snapshotIds() != null && !r.snapshotIds().isEmpty();
        if (r.instanceId() == null && !fromSnapshots) {
            throw new ApiException(SPECIFY_ONE_PARAMETER, "Give `InstanceId` (or `SnapshotIds`).");
        }
        if (r.instanceId() != null && fromSnapshots) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_CONFLICT, "`InstanceId` and `SnapshotIds` cannot be given together.");
        }
        if (fromSnapshots) {
            throw new ApiException(UNSUPPORTED_OPERATION, "Images from snapshots are not supported; give `InstanceId`.");
        }
        Params.instanceId(r.instanceId());
        if (r.dataDiskIds() != null && !r.dataDiskIds().isEmpty()) {
            throw new ApiException(ErrorCodes.DATA_DISK_NOT_OF_INSTANCE,
                    "The instance `" + r.instanceId() + "` has no data disks.");
        }
        Params.oneOf(r.forcePoweroff(), TRUE_FALSE, "ForcePoweroff");
        Params.oneOf(r.sysprep(), TRUE_FALSE, "Sysprep");
        ImportService.checkFamily(r.imageFamily());
        Map<String, String> tags = ImageActions.tags(r.tagSpecification());
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        Image image = instances.createImage(ctx, r.instanceId(), r.imageName(),
                r.imageDescription() == null ? "" : r.imageDescription(), "true".equals(r.forcePoweroff()),
                r.imageFamily(), tags, dryRun);
        return new ImageIdResponse(dryRun ? null : image.imageId());
    }

    public record DescribeInstanceTypeConfigsRequest(
            @ApiMember(help = "Filters (one value each): zone, instance-family, instance-type.",
                    maxItems = Params.MAX_FILTERS) List<FilterDto> filters) {
    }

    public record InstanceTypeConfigDto(String zone, String instanceType, String instanceFamily,
                                        @JsonProperty("GPU") Long gpu, @JsonProperty("CPU") Long cpu, Long memory,
                                        @JsonProperty("FPGA") Long fpga, Float gpuCount) {
    }

    public record DescribeInstanceTypeConfigsResponse(List<InstanceTypeConfigDto> instanceTypeConfigSet) {
    }

    /** The catalogue of the request region: every type in every zone that sells it; filters take one value each. */
    Object typeConfigs(CallContext ctx, DescribeInstanceTypeConfigsRequest r) {
        String zone = null;
        String family = null;
        String type = null;
        for (FilterDto f : Params.filters(r.filters(), 1)) {
            String value = f.values().get(0);
            switch (f.name()) {
                case "zone" -> zone = zone(ctx, value);
                case "instance-family" -> family = value;
                case "instance-type" -> type = value;
                default -> throw new ApiException(INVALID_FILTER, "The filter `" + f.name() + "` is not supported.");
            }
        }
        List<InstanceTypeConfigDto> set = new ArrayList<>();
        for (ZoneConfig z : region(ctx).zones()) {
            for (InstanceTypeConfig t : types) {
                if (t.soldIn(z.zone()) && (zone == null || zone.equals(z.zone()))
                        && (family == null || family.equals(t.instanceFamily()))
                        && (type == null || type.equals(t.instanceType()))) {
                    set.add(new InstanceTypeConfigDto(z.zone(), t.instanceType(), t.instanceFamily(), (long) t.gpu(),
                            (long) t.cpu(), (long) t.memory(), (long) t.fpga(), (float) t.gpu()));
                }
            }
        }
        return new DescribeInstanceTypeConfigsResponse(set);
    }
}
