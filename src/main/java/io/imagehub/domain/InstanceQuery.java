package io.imagehub.domain;

import java.util.List;

/** DescribeInstances: the caller's instances in a region; each non-empty list is one filter (values OR-ed). */
public record InstanceQuery(String ownerId, String region, List<String> instanceIds, List<String> zones,
                            List<String> names, List<InstanceState> states, int offset, int limit) {
    public InstanceQuery {
        instanceIds = List.copyOf(instanceIds);
        zones = List.copyOf(zones);
        names = List.copyOf(names);
        states = List.copyOf(states);
    }
}
