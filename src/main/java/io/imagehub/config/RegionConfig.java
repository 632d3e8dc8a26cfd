package io.imagehub.config;

import java.util.List;

/** A region and its zones, as configured. Names are given in both languages Tencent answers in. */
public record RegionConfig(String region, String nameZh, String nameEn, List<ZoneConfig> zones) {

    public record ZoneConfig(String zone, String zoneId, String nameZh, String nameEn, boolean available) {
    }

    public RegionConfig {
        zones = List.copyOf(zones);
    }

    public boolean hasZone(String zone) {
        return zones.stream().anyMatch(z -> z.zone().equals(zone));
    }

    static List<RegionConfig> defaults() {
        return List.of(
                new RegionConfig("ap-guangzhou", "华南地区(广州)", "South China (Guangzhou)", List.of(
                        zone("ap-guangzhou", 3, "100003", "广州三区", "Guangzhou Zone 3"),
                        zone("ap-guangzhou", 4, "100004", "广州四区", "Guangzhou Zone 4"),
                        zone("ap-guangzhou", 6, "100006", "广州六区", "Guangzhou Zone 6"))),
                new RegionConfig("ap-shanghai", "华东地区(上海)", "East China (Shanghai)", List.of(
                        zone("ap-shanghai", 2, "200002", "上海二区", "Shanghai Zone 2"),
                        zone("ap-shanghai", 4, "200004", "上海四区", "Shanghai Zone 4"),
                        zone("ap-shanghai", 5, "200005", "上海五区", "Shanghai Zone 5"))),
                new RegionConfig("ap-beijing", "华北地区(北京)", "North China (Beijing)", List.of(
                        zone("ap-beijing", 3, "800003", "北京三区", "Beijing Zone 3"),
                        zone("ap-beijing", 6, "800006", "北京六区", "Beijing Zone 6"),
                        zone("ap-beijing", 7, "800007", "北京七区", "Beijing Zone 7"))));
    }

    private static ZoneConfig zone(String region, int n, String id, String zh, String en) {
        return new ZoneConfig(region + "-" + n, id, zh, en, true);
    }
}
