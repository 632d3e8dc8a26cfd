-- Listing indexes (issue 6): DescribeImages pages by created_at DESC, image_id within an owner's (or the public)
-- images of a region. With the sort columns in the index, H2 and PostgreSQL read the first page straight off the
-- index instead of sorting every matching row. They replace the two indexes they extend.
CREATE INDEX images_owner_listing ON images (owner_id, region, created_at DESC, image_id);
CREATE INDEX images_public_listing ON images (is_public, region, created_at DESC, image_id);
DROP INDEX images_by_owner;
DROP INDEX images_public;
-- The unique name index led with (owner_id, region) too, and H2's planner took it for listings as readily as the
-- listing index (equal cost), then sorted every image of the owner. Leading with the name keeps it unique per
-- owner and region and still serves the name check (equality on all three columns), but no longer the listing.
DROP INDEX images_owner_name;
CREATE UNIQUE INDEX images_name_owner ON images (image_name, owner_id, region);
