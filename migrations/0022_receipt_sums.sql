-- Receipts kept as sums while they are written, so a month's receipts cost the quarter-hours in
-- it, not the payments. A bucket is a quarter-hour: floor(occurred_at / 900000), whole
-- milliseconds since 1970 (floored for instants before it). Every time zone's month starts on a
-- quarter hour, so a month is a whole range of buckets; a report whose bounds are not falls back
-- to the rows. `payments` and `reversals` are append-only (their triggers refuse UPDATE and
-- DELETE), so each row is added once by the triggers below and never taken back; `pledger verify`
-- recomputes every sum from the rows. STRICT: an addition that overflowed into a REAL is refused,
-- never kept.
CREATE TABLE payment_sums (
    bucket   INTEGER NOT NULL,
    currency TEXT NOT NULL,
    cadence  TEXT NOT NULL,
    payments INTEGER NOT NULL,
    gross    INTEGER NOT NULL,
    fees     INTEGER NOT NULL,
    PRIMARY KEY (bucket, currency, cadence)
) STRICT, WITHOUT ROWID;

CREATE TABLE reversal_sums (
    bucket    INTEGER NOT NULL,
    currency  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    reversals INTEGER NOT NULL,
    amount    INTEGER NOT NULL,
    fees      INTEGER NOT NULL,
    PRIMARY KEY (bucket, currency, kind)
) STRICT, WITHOUT ROWID;

-- The rows written before this migration, each table in one pass over its receipts index.
INSERT INTO payment_sums (bucket, currency, cadence, payments, gross, fees)
SELECT occurred_at / 900000 - (occurred_at % 900000 < 0), currency, cadence, COUNT(*), SUM(amount), SUM(fee)
FROM payments INDEXED BY payments_receipts
GROUP BY 1, 2, 3;

INSERT INTO reversal_sums (bucket, currency, kind, reversals, amount, fees)
SELECT occurred_at / 900000 - (occurred_at % 900000 < 0), currency, kind, COUNT(*), SUM(amount), SUM(fee)
FROM reversals INDEXED BY reversals_receipts
GROUP BY 1, 2, 3;

CREATE TRIGGER payment_sums_add AFTER INSERT ON payments
BEGIN
    INSERT INTO payment_sums (bucket, currency, cadence, payments, gross, fees)
    VALUES (NEW.occurred_at / 900000 - (NEW.occurred_at % 900000 < 0), NEW.currency, NEW.cadence, 1, NEW.amount,
            NEW.fee)
    ON CONFLICT (bucket, currency, cadence) DO UPDATE
    SET payments = payments + 1, gross = gross + excluded.gross, fees = fees + excluded.fees;
END;

CREATE TRIGGER reversal_sums_add AFTER INSERT ON reversals
BEGIN
    INSERT INTO reversal_sums (bucket, currency, kind, reversals, amount, fees)
    VALUES (NEW.occurred_at / 900000 - (NEW.occurred_at % 900000 < 0), NEW.currency, NEW.kind, 1, NEW.amount,
            NEW.fee)
    ON CONFLICT (bucket, currency, kind) DO UPDATE
    SET reversals = reversals + 1, amount = amount + excluded.amount, fees = fees + excluded.fees;
END;
