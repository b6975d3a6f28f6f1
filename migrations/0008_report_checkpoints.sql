-- Reports that stay fast at a million supporters.
--
-- 1. Receipts are summed from the payments and reversals rows (one row per payment, with its
--    amount, fee and cadence) through covering indexes, instead of joining every ledger posting
--    of the month. `pledger verify` checks that each of those rows agrees with its chained postings.
DROP INDEX payments_month;
CREATE INDEX payments_receipts ON payments(occurred_at, currency, cadence, amount, fee, supporter_id);
CREATE INDEX reversals_receipts ON reversals(occurred_at, currency, kind, amount, fee);
-- The other per-month counts and MRR changes, read from indexes that hold every column they need:
-- no lookup into the pledges or pledge_events tables per row.
CREATE INDEX pledges_created_month ON pledges(created_at, currency, cadence);
DROP INDEX pledges_first_paid;
CREATE INDEX pledges_first_paid ON pledges(first_paid_at, supporter_id, currency, cadence, cancelled_at, id)
    WHERE cadence <> 'one_off' AND first_paid_at IS NOT NULL;
DROP INDEX pledges_cancelled;
CREATE INDEX pledges_cancelled ON pledges(cancelled_at, supporter_id, currency, cadence, first_paid_at, id)
    WHERE cadence <> 'one_off' AND cancelled_at IS NOT NULL;
-- The amount in force at an instant: the latest 'created' or 'amount' event, one backward step.
CREATE INDEX pledge_events_amounts ON pledge_events(pledge_id, occurred_at, seq, amount) WHERE kind IN ('created', 'amount');

-- 2. MRR checkpoints: the recurring revenue per currency just before an instant (a month's start),
--    and how many supporters held it. A report starts from the latest checkpoint at or before its
--    first month and adds the changes after it, so it reads the months it shows, not every live
--    pledge. A checkpoint is a cache of what the ledger says: any write dated before it removes it
--    (the triggers below), and `pledger verify` recomputes each one from the pledges.
CREATE TABLE mrr_checkpoints (
    at INTEGER PRIMARY KEY               -- milliseconds; MRR of pledges with first_paid_at < at <= cancelled_at
);
CREATE TABLE mrr_checkpoint_totals (
    at          INTEGER NOT NULL REFERENCES mrr_checkpoints(at) ON DELETE CASCADE,
    currency    TEXT NOT NULL,
    twelfths    INTEGER NOT NULL,        -- MRR in twelfths of a minor unit (annual amounts count once, monthly 12 times)
    supporters  INTEGER NOT NULL,        -- supporters with any MRR in this currency
    PRIMARY KEY (at, currency)
);
-- Bumped by every change that can move MRR, so a report that computed checkpoints from an older
-- snapshot can tell, when it saves them, that they may be stale.
CREATE TABLE mrr_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO mrr_epoch (id, n) VALUES (1, 0);

-- A pledge event at t (creation, status move, amount change) can move MRR at any instant after t.
CREATE TRIGGER mrr_checkpoints_pledge_event AFTER INSERT ON pledge_events
BEGIN
    DELETE FROM mrr_checkpoints WHERE at > NEW.occurred_at;
    UPDATE mrr_epoch SET n = n + 1;
END;
-- First payment and cancellation instants bound when a pledge counts.
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
-- Cadence and currency decide whether and where a pledge counts; nothing changes them today, but
-- a change behind Pledger's back must not leave a stale checkpoint.
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
