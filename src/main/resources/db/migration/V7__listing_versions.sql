-- What each account's DescribeImages shows has a version (account '*': the public images, shown to everyone).
-- Every transaction that changes an image or a share bumps the versions of the accounts that see it, as its last
-- statements; a node's listing cache entry is valid while the versions it was built under are unchanged
-- (docs/adr/0008-listing-cache.md). No row means version 0. A table of its own, not a column of accounts, so that
-- the bumps never wait for a lock taken earlier in another transaction (account rows are locked by launches).
CREATE TABLE listing_versions (
    account_id VARCHAR(20) PRIMARY KEY,
    version    BIGINT      NOT NULL
);
