package io.imagehub.api;

import io.imagehub.api.ImageActions.EmptyRequest;
import io.imagehub.config.RegionConfig;
import io.imagehub.domain.CallContext;
import java.util.List;

/** DescribeRegions and DescribeZones, from configuration. Names follow X-TC-Language (zh-CN unless en-US). */
public final class RegionActions {
    private final List<RegionConfig> regions;

    public RegionActions(List<RegionConfig> regions) {
        this.regions = List.copyOf(regions);
    }

    public record RegionInfo(String region, String regionName, String regionState) {
    }

    public record DescribeRegionsResponse(long totalCount, List<RegionInfo> regionSet) {
    }

    public record ZoneInfo(String zone, String zoneName, String zoneId, String zoneState) {
    }

    public record DescribeZonesResponse(long totalCount, List<ZoneInfo> zoneSet) {
    }

    public void register(ActionRegistry registry) {
        registry.registerRegionless("DescribeRegions", EmptyRequest.class, "Lists the regions this service offers.",
                this::describeRegions);
        registry.register("DescribeZones", EmptyRequest.class, "Lists the zones of the request's region.",
                this::describeZones);
    }

    DescribeRegionsResponse describeRegions(CallContext ctx, EmptyRequest request) {
        List<RegionInfo> set = regions.stream()
                .map(r -> new RegionInfo(r.region(), ctx.english() ? r.nameEn() : r.nameZh(), "AVAILABLE")).toList();
        return new DescribeRegionsResponse(set.size(), set);
    }

    DescribeZonesResponse describeZones(CallContext ctx, EmptyRequest request) {
        RegionConfig region = regions.stream().filter(r -> r.region().equals(ctx.region())).findFirst().orElseThrow();
        List<ZoneInfo> set = region.zones().stream().map(z -> new ZoneInfo(z.zone(), ctx.english() ? z.nameEn() : z.nameZh(),
                z.zoneId(), z.available() ? "AVAILABLE" : "UNAVAILABLE")).toList();
        return new DescribeZonesResponse(set.size(), set);
    }
}
