-- pledger: rebuilds-tables
-- A pledge can be paused: `paused` joins the states, each pause is kept with when it began and
-- ended (MRR stops and starts again there), and a paused pledge knows when it resumes by itself.
-- SQLite cannot change a CHECK in place, so `pledges` and `supporter_requests` are rebuilt the
-- way its documentation prescribes (new table, copy, drop, rename, indexes and triggers again);
-- the runner turns foreign keys off around this migration and checks them all before it commits.

CREATE TABLE pledges_new (
    id             TEXT PRIMARY KEY,
    supporter_id   TEXT NOT NULL REFERENCES supporters(id),
    cadence        TEXT NOT NULL CHECK (cadence IN ('one_off', 'monthly', 'annual')),
    amount         INTEGER NOT NULL CHECK (amount > 0),   -- current amount; history in pledge_events
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'active', 'completed', 'past_due', 'cancelled', 'expired', 'paused')),
    source         TEXT,
    processor      TEXT,
    processor_ref  TEXT,
    created_at     INTEGER NOT NULL,
    first_paid_at  INTEGER,               -- MRR counts from here ...
    cancelled_at   INTEGER,               -- ... until here (and not while paused: pledge_pauses)
    seq            INTEGER NOT NULL UNIQUE, -- insertion order, for stable newest-first listing
    resumes_at     INTEGER,               -- a paused pledge's planned resumption, if it has one
    pause_word_at  INTEGER,               -- the instant of the processor's latest word on the pause, so an
                                          -- older event delivered late is not applied over a newer one
    CHECK (resumes_at IS NULL OR status = 'paused')
);
INSERT INTO pledges_new (id, supporter_id, cadence, amount, currency, status, source, processor, processor_ref,
                         created_at, first_paid_at, cancelled_at, seq)
    SELECT id, supporter_id, cadence, amount, currency, status, source, processor, processor_ref,
           created_at, first_paid_at, cancelled_at, seq FROM pledges;
DROP TABLE pledges;
ALTER TABLE pledges_new RENAME TO pledges;

CREATE INDEX pledges_supporter ON pledges(supporter_id);
CREATE INDEX pledges_created ON pledges(created_at);
CREATE INDEX pledges_recurring ON pledges(currency, cadence, first_paid_at) WHERE cadence <> 'one_off';
CREATE INDEX pledges_uncancelled ON pledges(first_paid_at) WHERE cadence <> 'one_off' AND cancelled_at IS NULL;
CREATE INDEX pledges_created_month ON pledges(created_at, currency, cadence);
CREATE INDEX pledges_first_paid ON pledges(first_paid_at, supporter_id, currency, cadence, cancelled_at, id)
    WHERE cadence <> 'one_off' AND first_paid_at IS NOT NULL;
CREATE INDEX pledges_cancelled ON pledges(cancelled_at, supporter_id, currency, cadence, first_paid_at, id)
    WHERE cadence <> 'one_off' AND cancelled_at IS NOT NULL;
CREATE INDEX pledges_supporter_first_paid ON pledges(supporter_id, currency, first_paid_at) WHERE cadence <> 'one_off';
CREATE INDEX pledges_past_due ON pledges(id) WHERE status = 'past_due';
CREATE INDEX pledges_processor_ref ON pledges(processor, processor_ref);
-- The pauses due to end, for the job that resumes them.
CREATE INDEX pledges_resuming ON pledges(resumes_at) WHERE status = 'paused';

CREATE TRIGGER mrr_checkpoints_first_paid AFTER UPDATE OF first_paid_at ON pledges
WHEN NEW.first_paid_at IS NOT OLD.first_paid_at
BEGIN
    DELETE FROM mrr_checkpoints WHERE at > MIN(COALESCE(OLD.first_paid_at, NEW.first_paid_at), COALESCE(NEW.first_paid_at, OLD.first_paid_at));
    UPDATE mrr_epoch SET n = n + 1;
END;
CREATE TRIGGER mrr_checkpoints_cancelled AFTER UPDATE OF cancelled_at ON pledges
WHEN NEW.cancelled_at IS NOT OLD.cancelled_at
BEGIN
    DELETE FROM mrr_checkpoints WHERE at > MIN(COALESCE(OLD.cancelled_at, NEW.cancelled_at), COALESCE(NEW.cancelled_at, OLD.cancelled_at));
    UPDATE mrr_epoch SET n = n + 1;
END;
CREATE TRIGGER mrr_checkpoints_pledge_inserted AFTER INSERT ON pledges
WHEN NEW.first_paid_at IS NOT NULL OR NEW.cancelled_at IS NOT NULL
BEGIN
    DELETE FROM mrr_checkpoints WHERE at > MIN(COALESCE(NEW.first_paid_at, NEW.cancelled_at), COALESCE(NEW.cancelled_at, NEW.first_paid_at));
    UPDATE mrr_epoch SET n = n + 1;
END;
CREATE TRIGGER mrr_checkpoints_pledge_kind AFTER UPDATE OF cadence, currency, supporter_id ON pledges
BEGIN
    DELETE FROM mrr_checkpoints;
    UPDATE mrr_epoch SET n = n + 1;
END;
CREATE TRIGGER mrr_checkpoints_pledge_deleted AFTER DELETE ON pledges
BEGIN
    DELETE FROM mrr_checkpoints;
    UPDATE mrr_epoch SET n = n + 1;
END;

-- Each pause of a pledge: MRR stops just after `paused_at` and counts again just after
-- `resumed_at` (NULL while paused; the instant of the cancellation when cancelled while paused).
-- Written with the status moves in pledge_events, in the same transaction; `verify` holds the two equal.
CREATE TABLE pledge_pauses (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    pledge_id   TEXT NOT NULL REFERENCES pledges(id),
    paused_at   INTEGER NOT NULL,
    resumed_at  INTEGER,
    CHECK (resumed_at IS NULL OR resumed_at >= paused_at)
);
CREATE INDEX pledge_pauses_pledge ON pledge_pauses(pledge_id, paused_at, resumed_at);
CREATE UNIQUE INDEX pledge_pauses_open ON pledge_pauses(pledge_id) WHERE resumed_at IS NULL;
CREATE INDEX pledge_pauses_started ON pledge_pauses(paused_at, pledge_id);
CREATE INDEX pledge_pauses_ended ON pledge_pauses(resumed_at, pledge_id) WHERE resumed_at IS NOT NULL;
-- A pause that moves is MRR moving: the pledge_events trigger covers what Pledger writes (each
-- pause and resumption is a status move, in the same transaction); a change by hand (the sqlite3
-- shell) must not leave a stale checkpoint either.
CREATE TRIGGER mrr_checkpoints_pause_changed AFTER UPDATE OF paused_at, resumed_at, pledge_id ON pledge_pauses
BEGIN
    DELETE FROM mrr_checkpoints;
    UPDATE mrr_epoch SET n = n + 1;
END;
CREATE TRIGGER mrr_checkpoints_pause_deleted AFTER DELETE ON pledge_pauses
BEGIN
    DELETE FROM mrr_checkpoints;
    UPDATE mrr_epoch SET n = n + 1;
END;

CREATE TABLE supporter_requests_new (
    id            TEXT PRIMARY KEY,          -- sr_…
    pledge_id     TEXT NOT NULL REFERENCES pledges(id),
    kind          TEXT NOT NULL CHECK (kind IN ('pause', 'change', 'cancel', 'resume')),
    months        INTEGER CHECK (months BETWEEN 1 AND 3),
    amount        INTEGER CHECK (amount > 0),
    currency      TEXT,
    cadence       TEXT CHECK (cadence IN ('monthly', 'annual')),
    reason        TEXT CHECK (reason IN ('too_expensive', 'payment_problems', 'prefer_one_off',
                                         'unhappy_with_coverage', 'other')),
    note          TEXT,
    requested_at  INTEGER NOT NULL,
    confirmed_at  INTEGER
);
INSERT INTO supporter_requests_new SELECT * FROM supporter_requests;
DROP TABLE supporter_requests;
ALTER TABLE supporter_requests_new RENAME TO supporter_requests;
CREATE INDEX supporter_requests_pledge ON supporter_requests(pledge_id, kind) WHERE confirmed_at IS NULL;
CREATE INDEX supporter_requests_cancel_time ON supporter_requests(requested_at) WHERE kind = 'cancel';
