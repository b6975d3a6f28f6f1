-- The transactional outbox: every change that a publisher's tools hear about writes its event
-- here, in the same transaction as the change (docs/events.md is the catalogue).
CREATE TABLE outbox_events (
    sequence      INTEGER PRIMARY KEY,       -- grows by one per event; never reused (no deletes)
    id            TEXT NOT NULL UNIQUE,      -- evt_…, the webhook-id of every delivery of it
    type          TEXT NOT NULL,
    occurred_at   INTEGER NOT NULL,
    recorded_at   INTEGER NOT NULL,
    supporter_id  TEXT,                      -- the records it is about: erasure and acknowledgements find it
    pledge_id     TEXT,
    reminder_id   TEXT,
    payment_id    TEXT,
    body          TEXT NOT NULL,             -- the JSON exactly as sent
    erased_at     INTEGER                    -- set when erasure removed personal data from body
);
CREATE INDEX outbox_events_type ON outbox_events(type, sequence);
CREATE INDEX outbox_events_supporter ON outbox_events(supporter_id) WHERE supporter_id IS NOT NULL;
CREATE INDEX outbox_events_occurred ON outbox_events(occurred_at);
CREATE TRIGGER outbox_events_no_delete BEFORE DELETE ON outbox_events
BEGIN SELECT RAISE(ABORT, 'outbox_events is append-only'); END;
CREATE TRIGGER outbox_events_fixed BEFORE UPDATE OF sequence, id, type, occurred_at, recorded_at, supporter_id,
    pledge_id, reminder_id, payment_id ON outbox_events
BEGIN SELECT RAISE(ABORT, 'outbox_events is append-only'); END;
CREATE TRIGGER outbox_events_body_only_by_erasure BEFORE UPDATE OF body ON outbox_events
WHEN NEW.erased_at IS NULL
BEGIN SELECT RAISE(ABORT, 'an event body changes only by erasure'); END;

-- Receipt numbers: sequential per calendar year (UTC) of the payment, without gaps, because the
-- next number is taken in the payment's own transaction and rolls back with it.
CREATE TABLE receipt_numbers (
    payment_id  TEXT PRIMARY KEY REFERENCES payments(id),
    year        INTEGER NOT NULL,
    sequence    INTEGER NOT NULL,
    UNIQUE (year, sequence)
);
CREATE TRIGGER receipt_numbers_no_update BEFORE UPDATE ON receipt_numbers
BEGIN SELECT RAISE(ABORT, 'receipt_numbers is append-only'); END;
CREATE TRIGGER receipt_numbers_no_delete BEFORE DELETE ON receipt_numbers
BEGIN SELECT RAISE(ABORT, 'receipt_numbers is append-only'); END;

-- What the scheduled jobs already announced, so a job run twice announces nothing twice:
-- a reminder due at a time, a renewal on a date. A deferred reminder is due again at its new time.
CREATE TABLE job_notices (
    job         TEXT NOT NULL,               -- reminder_due, renewal_upcoming
    subject_id  TEXT NOT NULL,               -- the reminder or pledge
    due_at      INTEGER NOT NULL,            -- the due time or renewal it announced
    event_id    TEXT NOT NULL,
    PRIMARY KEY (job, subject_id, due_at)
) WITHOUT ROWID;
