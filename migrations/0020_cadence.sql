-- A recurring pledge's cadence can change (monthly ↔ annual), dated, kept as history like an
-- amount change: each `created` and `amount` event records the cadence in force from it, so the
-- MRR in force at an instant is weight(event cadence) × event amount of the latest such event
-- before it. `pledges.cadence` stays the current cadence. An `amount` event also keeps the cadence
-- it replaced (beside `old_amount`), so a month's upgraded/downgraded counts compare MRR from one
-- index, without a look back per change.
ALTER TABLE pledge_events ADD COLUMN cadence TEXT CHECK (cadence IN ('one_off', 'monthly', 'annual'));
ALTER TABLE pledge_events ADD COLUMN old_cadence TEXT CHECK (old_cadence IN ('one_off', 'monthly', 'annual'));

-- Until now a pledge's cadence never changed: its events had the pledge's cadence. The table is
-- append-only, so its UPDATE guard is lifted for the backfill and put back as it was.
DROP TRIGGER pledge_events_no_update;
UPDATE pledge_events SET cadence = (SELECT p.cadence FROM pledges p WHERE p.id = pledge_events.pledge_id)
WHERE kind IN ('created', 'amount');
UPDATE pledge_events SET old_cadence = cadence WHERE kind = 'amount';
CREATE TRIGGER pledge_events_no_update BEFORE UPDATE ON pledge_events
BEGIN SELECT RAISE(ABORT, 'pledge_events is append-only'); END;

-- When the current cadence took effect: renewals run from there (NULL: never changed).
ALTER TABLE pledges ADD COLUMN cadence_since INTEGER;

-- The twelfths in force at an instant and a month's amount changes are read from these indexes
-- alone: they hold the cadences now, and `kind` too, which the queries name (SQLite does not
-- count a partial index's own condition as covering that column, so without it every step read
-- the table row as well).
DROP INDEX pledge_events_amounts;
CREATE INDEX pledge_events_amounts ON pledge_events(pledge_id, occurred_at, seq, amount, cadence, kind)
    WHERE kind IN ('created', 'amount');
DROP INDEX pledge_events_amount_changes;
CREATE INDEX pledge_events_amount_changes
    ON pledge_events(occurred_at, pledge_id, amount, old_amount, cadence, old_cadence, kind) WHERE kind = 'amount';

-- MRR weighs each amount by its event's cadence, so `pledges.cadence` moving between monthly and
-- annual (written with its dated event, whose own trigger drops the checkpoints after it) no
-- longer moves MRR by itself; a move to or from one-off, or of currency or supporter, still does.
DROP TRIGGER mrr_checkpoints_pledge_kind;
CREATE TRIGGER mrr_checkpoints_pledge_kind AFTER UPDATE OF cadence, currency, supporter_id ON pledges
WHEN (OLD.cadence = 'one_off') IS NOT (NEW.cadence = 'one_off') OR OLD.currency IS NOT NEW.currency
    OR OLD.supporter_id IS NOT NEW.supporter_id
BEGIN
    DELETE FROM mrr_checkpoints;
    UPDATE mrr_epoch SET n = n + 1;
END;
