-- Every booking writes an event, and each index on outbox_events is one more write inside the
-- single writer. The deliverer walks events by sequence (the primary key) from each endpoint's
-- cursor, so the indexes by type and by time only served `pledger events list --type/--since`,
-- which can scan. The index by supporter stays: erasure must find a supporter's events.
DROP INDEX outbox_events_type;
DROP INDEX outbox_events_occurred;
