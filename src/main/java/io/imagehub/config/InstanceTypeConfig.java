package io.imagehub.config;

import java.util.List;

/**
 * One instance type of the catalogue (spec 3.23, 5.13).
 *
 * @param zones the zones that sell it; empty means every zone of every region
 */
public record InstanceTypeConfig(String instanceType, String instanceFamily, int cpu, int memory, int gpu, int fpga,
                                 List<String> zones) {

    public InstanceTypeConfig {
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    public boolean soldIn(String zone) {
        return zones.isEmpty() || zones.contains(zone);
    }

    static List<InstanceTypeConfig> defaults() {
        return List.of(
                new InstanceTypeConfig("S5.SMALL1", "S5", 1, 1, 0, 0, List.of()),
                new InstanceTypeConfig("S5.MEDIUM2", "S5", 2, 2, 0, 0, List.of()),
                new InstanceTypeConfig("S5.LARGE8", "S5", 4, 8, 0, 0, List.of()),
                new InstanceTypeConfig("SA5.MEDIUM2", "SA5", 2, 2, 0, 0, List.of()));
    }
}
