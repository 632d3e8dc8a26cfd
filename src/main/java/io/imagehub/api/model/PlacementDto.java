package io.imagehub.api.model;

import java.util.List;

/** Placement (spec 4.7): {@code HostIds} on input (CDH only, unsupported), {@code HostId} never filled. */
public record PlacementDto(@ApiMember(help = "Zone of the instance, e.g. ap-guangzhou-3.", required = true) String zone,
                           @ApiMember(help = "Accepted and ignored.") Long projectId,
                           @ApiMember(help = "Dedicated hosts: not supported.") List<String> hostIds) {
}
