package io.imagehub.api.model;


public record TagDto(@ApiMember(help = "Tag key.", required = true, maxLength = 127) String key,
                     @ApiMember(help = "Tag value.", required = true, maxLength = 255) String value) {
}
