-- Webhook events and processor references.

-- Every verified webhook event, stored in the same transaction as the ledger rows it causes,
-- so a redelivery is recognised by (provider, event_id) and changes nothing.
-- Forged or stale deliveries are never stored.
CREATE TABLE webhook_events (
    provider      TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    payload       BLOB NOT NULL,             -- the raw, verified body
    outcome       TEXT NOT NULL CHECK (outcome IN ('processed', 'ignored', 'unmatched')),
    detail        TEXT,                      -- what was done, or why it could not be matched
    occurred_at   INTEGER,
    received_at   INTEGER NOT NULL,
    processed_at  INTEGER,                   -- when it last took effect (first delivery or replay)
    replays       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX webhook_events_outcome ON webhook_events(outcome, received_at);

-- An event's identity and payload never change; only a replay moves its outcome on.
CREATE TRIGGER webhook_events_frozen BEFORE UPDATE OF provider, event_id, type, payload, received_at ON webhook_events
BEGIN SELECT RAISE(ABORT, 'webhook_events keeps its payload unchanged'); END;
CREATE TRIGGER webhook_events_no_delete BEFORE DELETE ON webhook_events
BEGIN SELECT RAISE(ABORT, 'webhook_events is append-only'); END;

-- Processor references (subscription, payment intent, charge, checkout session ids) that name
-- a pledge or a payment in later events.
CREATE TABLE processor_refs (
    processor   TEXT NOT NULL,
    ref         TEXT NOT NULL,
    pledge_id   TEXT REFERENCES pledges(id),
    payment_id  TEXT REFERENCES payments(id),
    created_at  INTEGER NOT NULL,
    CHECK (pledge_id IS NOT NULL OR payment_id IS NOT NULL)
);
CREATE UNIQUE INDEX processor_refs_link ON processor_refs(processor, ref, IFNULL(pledge_id, ''), IFNULL(payment_id, ''));
