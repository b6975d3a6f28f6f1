-- Same event id, different body: a processor never does that; it means a bug or a leaked secret.

-- The SHA-256 (hex) of each stored event's raw body, so a redelivery is compared by content,
-- not only by id. NULL for events stored before this migration: their payload is hashed instead.
ALTER TABLE webhook_events ADD COLUMN body_sha256 TEXT;

-- Validly signed deliveries that reused a stored event id with another body: refused (409
-- event_conflict), nothing booked, kept here for a person to review (`webhooks list --outcome conflict`).
CREATE TABLE webhook_conflicts (
    provider       TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    type           TEXT NOT NULL,
    payload        BLOB NOT NULL,             -- the raw, verified body that conflicted
    body_sha256    TEXT NOT NULL,
    stored_sha256  TEXT NOT NULL,             -- the body hash of the event stored first
    detail         TEXT,
    received_at    INTEGER NOT NULL
);
CREATE INDEX webhook_conflicts_received ON webhook_conflicts(received_at);
CREATE TRIGGER webhook_conflicts_no_update BEFORE UPDATE ON webhook_conflicts
BEGIN SELECT RAISE(ABORT, 'webhook_conflicts is append-only'); END;
CREATE TRIGGER webhook_conflicts_no_delete BEFORE DELETE ON webhook_conflicts
BEGIN SELECT RAISE(ABORT, 'webhook_conflicts is append-only'); END;
