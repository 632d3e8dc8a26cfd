-- Instances launched from images. There are no VMs: the system disk is a copy-on-write clone of an image, kept as
-- that image's chunk manifest in disk_manifest. A garbage collector of the chunk store must count these manifests
-- as references, like images.manifest: an instance keeps its chunks alive after its image is deleted.
CREATE TABLE instances (
    instance_id                  VARCHAR(12)   PRIMARY KEY,
    uuid                         VARCHAR(36)   NOT NULL,
    owner_id                     VARCHAR(20)   NOT NULL REFERENCES accounts (account_id),
    region                       VARCHAR(32)   NOT NULL,
    zone                         VARCHAR(48)   NOT NULL,
    instance_type                VARCHAR(32)   NOT NULL,
    cpu                          INT           NOT NULL,
    memory_gib                   INT           NOT NULL,
    instance_name                VARCHAR(128)  NOT NULL,
    state                        VARCHAR(16)   NOT NULL,
    image_id                     VARCHAR(12)   NOT NULL,   -- no foreign key: the image may be deleted
    image_owner_id               VARCHAR(20),              -- NULL for a public image
    os_name                      VARCHAR(128)  NOT NULL,
    platform                     VARCHAR(64)   NOT NULL,
    architecture                 VARCHAR(16)   NOT NULL,
    license_type                 VARCHAR(16)   NOT NULL,
    boot_mode                    VARCHAR(16)   NOT NULL,
    disk_id                      VARCHAR(16)   NOT NULL,
    disk_type                    VARCHAR(16)   NOT NULL,
    disk_size_gib                INT           NOT NULL,
    disk_manifest                VARCHAR(1000000) NOT NULL,
    private_ip                   VARCHAR(15)   NOT NULL,
    latest_operation             VARCHAR(32),
    latest_operation_state       VARCHAR(16),
    latest_operation_request_id  VARCHAR(36),
    created_at                   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX instances_by_owner ON instances (owner_id, region, created_at);

-- RunInstances idempotency: a repeated ClientToken answers the instances of the first call.
CREATE TABLE instance_client_tokens (
    account_id    VARCHAR(20)   NOT NULL REFERENCES accounts (account_id),
    region        VARCHAR(32)   NOT NULL,
    client_token  VARCHAR(64)   NOT NULL,
    instance_ids  VARCHAR(8192) NOT NULL,     -- comma-separated, in creation order
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, region, client_token)
);

-- Delayed jobs (instance transitions): not claimed before run_after. NULL means at once.
ALTER TABLE jobs ADD COLUMN run_after TIMESTAMP WITH TIME ZONE;
