package io.imagehub.api.model;

import java.util.List;

/** Placement (spec 4.7): {@code HostIds} on input (CDH only, unsupported), {@code HostId} never filled. */
public record PlacementDto(String zone, Long projectId, List<String> hostIds) {
}
