-- Signature v1 nonces seen within their timestamp window (docs/adr/0010-signature-v1-replay.md): a (SecretId, Nonce)
-- pair is accepted once per window on every node of one database. Rows outlive their window only until a node
-- purges them; a row whose expiry has passed no longer counts.
CREATE TABLE signature_nonces (
    secret_id  VARCHAR(64) NOT NULL,
    nonce      VARCHAR(20) NOT NULL,
    expires_s  BIGINT      NOT NULL,
    PRIMARY KEY (secret_id, nonce)
);
CREATE INDEX signature_nonces_expiry ON signature_nonces (expires_s);
