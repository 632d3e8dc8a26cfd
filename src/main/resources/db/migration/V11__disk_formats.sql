-- Disk formats (issue 11): what inspection found in an image's file, why a refused one was refused (its owner reads
-- it as ImagehubFailureReason), and the format and virtual size of the image an instance's disk was cloned from
-- (CreateImage records them on the image it captures). Images stored before inspection existed keep NULL (unknown)
-- and their file size as the virtual size.
ALTER TABLE images ADD COLUMN disk_format VARCHAR(8);
ALTER TABLE images ADD COLUMN virtual_size_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE images ADD COLUMN failure_reason VARCHAR(1024);
UPDATE images SET virtual_size_bytes = size_bytes;
ALTER TABLE instances ADD COLUMN disk_format VARCHAR(8);
ALTER TABLE instances ADD COLUMN disk_virtual_bytes BIGINT DEFAULT 0 NOT NULL;
