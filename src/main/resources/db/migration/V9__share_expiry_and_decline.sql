-- Shares that end by themselves (issue 15). NULL: until cancelled. The share's transaction queues a job that ends it
-- at this time (as a CANCEL would, audited share-expired); until that job has run, every check treats a share past
-- its expiry as gone, so a recipient cannot launch from it a moment longer.
ALTER TABLE image_shares ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
-- A recipient's own switch (ImagehubDeclineSharedImage): the share stays, so the owner's list and limit are
-- untouched, but the image leaves the recipient's listings and cannot be launched by it. NULL: not declined.
ALTER TABLE image_shares ADD COLUMN declined_at TIMESTAMP WITH TIME ZONE;
