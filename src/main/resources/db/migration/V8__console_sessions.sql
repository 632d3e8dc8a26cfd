-- Web console sessions (docs/console.md), in the database so that any node behind a load balancer can serve any
-- request of a session. The cookie carries a random id; only its SHA-256 is stored, so a copy of this table lets
-- nobody in. The SecretKey the user signed in with is sealed with the master key (AES-GCM, the row's id hash as
-- associated data), as stored SecretKeys are.
CREATE TABLE console_sessions (
    id_hash        VARCHAR(64)  PRIMARY KEY,
    account_id     VARCHAR(20)  NOT NULL,
    secret_id      VARCHAR(64)  NOT NULL,
    secret_sealed  VARCHAR(256) NOT NULL,
    csrf_token     VARCHAR(64)  NOT NULL,
    region         VARCHAR(64)  NOT NULL,
    language       VARCHAR(8)   NOT NULL,
    created_ms     BIGINT       NOT NULL,
    last_seen_ms   BIGINT       NOT NULL
);
CREATE INDEX console_sessions_idle ON console_sessions (last_seen_ms);
