-- The reader's box (docs/box.md): publishable keys, where pledges and reminders came from,
-- "remind me later" requests awaiting confirmation, and the funnel's anonymous counters.

-- Public keys the box carries in a page; each names the origins allowed to use it.
CREATE TABLE publishable_keys (
    key         TEXT PRIMARY KEY,            -- pk_…
    origins     TEXT NOT NULL,               -- space-separated, normalised (https://www.example.org)
    label       TEXT,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- Where a box pledge or a confirmed box reminder came from: path and referrer host only.
CREATE TABLE box_attributions (
    subject_id    TEXT PRIMARY KEY,          -- pl_… or rm_…
    kind          TEXT NOT NULL CHECK (kind IN ('pledge', 'reminder')),
    campaign      TEXT NOT NULL,
    page_path     TEXT NOT NULL,
    referrer_host TEXT,
    utm_source    TEXT,
    utm_medium    TEXT,
    utm_campaign  TEXT,
    utm_term      TEXT,
    utm_content   TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX box_attributions_time ON box_attributions(kind, created_at);

-- "Remind me later" from the box until the reader confirms it from the e-mail (double opt-in).
-- Unconfirmed rows are deleted when they expire; a confirmed one keeps no e-mail (the reminder has it).
CREATE TABLE reminder_requests (
    id            TEXT PRIMARY KEY,          -- rq_…
    email         TEXT,
    campaign      TEXT NOT NULL,
    page_path     TEXT NOT NULL,
    referrer_host TEXT,
    utm_source    TEXT,
    utm_medium    TEXT,
    utm_campaign  TEXT,
    utm_term      TEXT,
    utm_content   TEXT,
    requested_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    confirmed_at  INTEGER,
    reminder_id   TEXT REFERENCES reminders(id)
);
CREATE INDEX reminder_requests_pending ON reminder_requests(expires_at) WHERE confirmed_at IS NULL;
CREATE INDEX reminder_requests_email ON reminder_requests(email) WHERE email IS NOT NULL;
CREATE INDEX reminder_requests_time ON reminder_requests(requested_at);

-- The funnel's counters: no ids, no addresses; a row per UTC day, campaign and page path.
CREATE TABLE box_counts (
    day              TEXT NOT NULL,          -- YYYY-MM-DD, UTC
    campaign         TEXT NOT NULL,
    page_path        TEXT NOT NULL,
    shown            INTEGER NOT NULL DEFAULT 0,
    continued        INTEGER NOT NULL DEFAULT 0,
    remind_requested INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, campaign, page_path)
) WITHOUT ROWID;

-- The key that signs the box's confirmation links (and the supporters' links), made on first use
-- when PLEDGER_LINK_SECRET is not set, so that links survive a restart.
CREATE TABLE link_secrets (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- The events of a box request name it, so that its expiry or erasure finds them.
ALTER TABLE outbox_events ADD COLUMN request_id TEXT;
CREATE INDEX outbox_events_request ON outbox_events(request_id) WHERE request_id IS NOT NULL;
DROP TRIGGER outbox_events_fixed;
CREATE TRIGGER outbox_events_fixed BEFORE UPDATE OF sequence, id, type, occurred_at, recorded_at, supporter_id,
    pledge_id, reminder_id, payment_id, request_id ON outbox_events
BEGIN SELECT RAISE(ABORT, 'outbox_events is append-only'); END;
