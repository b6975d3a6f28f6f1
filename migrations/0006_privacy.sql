-- Erasure on request: a supporter's personal data is replaced by a tombstone (e-mail and
-- external ref set to NULL, erased_at set); pledges, payments and the ledger are kept, so
-- reports do not change.
ALTER TABLE supporters ADD COLUMN erased_at INTEGER;
