package io.imagehub.api.model;

import java.util.List;

public record FilterDto(@ApiMember(help = "Filter name.", required = true) String name,
                        @ApiMember(help = "Values; a match of any one passes.", required = true) List<String> values) {
}
