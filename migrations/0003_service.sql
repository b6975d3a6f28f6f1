-- The HTTP service: API tokens and idempotency keys.

-- Only a token's SHA-256 is kept; the token itself is shown once, when created.
CREATE TABLE api_tokens (
    name        TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    scopes      TEXT NOT NULL,            -- comma-separated, e.g. pledges:write,reports:read
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- The first response to each (client, Idempotency-Key), written in the same transaction as the
-- effect it describes, so a retried request replays it instead of acting twice.
CREATE TABLE idempotency_keys (
    owner        TEXT NOT NULL,           -- the token name the key belongs to
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,           -- SHA-256 of method, path and body
    status       INTEGER NOT NULL,
    body         BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
