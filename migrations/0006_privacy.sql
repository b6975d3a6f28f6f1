-- Erasure on request: a supporter's personal data is replaced by a tombstone (e-mail and
-- external ref set to NULL, erased_at set); pledges, payments and the ledger are kept, so
-- reports do not change.
ALTER TABLE supporters ADD COLUMN erased_at INTEGER;

-- Stored webhook payloads may carry the e-mail too (Stripe's customer_details). Their payload
-- stays frozen with one exception: an erasure may rewrite it once, marking it erased.
ALTER TABLE webhook_events ADD COLUMN erased_at INTEGER;
DROP TRIGGER webhook_events_frozen;
CREATE TRIGGER webhook_events_frozen BEFORE UPDATE OF provider, event_id, type, payload, received_at ON webhook_events
WHEN NOT (NEW.provider = OLD.provider AND NEW.event_id = OLD.event_id AND NEW.type = OLD.type
          AND NEW.received_at = OLD.received_at AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'webhook_events keeps its payload unchanged'); END;
