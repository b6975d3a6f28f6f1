-- pledger: rebuilds-tables
-- Payments and reversals keyed by integers (issue 17). A payment took about 360 bytes in its row
-- and five indexes, most of it 23-character text ids repeated: its own, its transaction's, its
-- pledge's and supporter's, and (processor, external_id) a second time.
--  * supporters gain an integer key, `seq` (the rowid, kept by VACUUM now that it is declared);
--    the public `sp_…` id stays, unique. pledges already have one.
--  * A payment or reversal is keyed by its ledger transaction's `seq`: one b-tree, no index on a
--    transaction id. Its processor and external id are its transaction's (they always were: the
--    check below refuses a ledger where they differ), and exactly-once is the transaction's
--    UNIQUE (processor, external_id).
--  * A payment names its pledge and supporter by `seq`; a reversal its payment by `seq`.
--  * payments_receipts goes: receipts come from the sums of 0022, and what else read it (the
--    month's paying supporters) reads payments_month, three integers wide.
-- The views payment_facts and reversal_facts put the public ids back for the reads that show them.

-- Refuses (naming this column) a ledger whose payment or reversal disagrees with its transaction
-- on the processor or external id: dropping the columns would lose the payment's own word.
CREATE TEMP TABLE migration_0023_guard (
    payments_and_reversals_carry_their_transactions_external_ids INTEGER
        CHECK (payments_and_reversals_carry_their_transactions_external_ids = 0)
);
INSERT INTO migration_0023_guard
SELECT (SELECT COUNT(*) FROM payments y JOIN ledger_transactions t ON t.id = y.transaction_id
        WHERE t.processor IS NOT y.processor OR t.external_id IS NOT y.external_id)
     + (SELECT COUNT(*) FROM reversals r JOIN ledger_transactions t ON t.id = r.transaction_id
        WHERE t.processor IS NOT r.processor OR t.external_id IS NOT r.external_id);
DROP TABLE migration_0023_guard;

CREATE TABLE supporters_keyed (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    email        TEXT UNIQUE,              -- normalised (trimmed, lower-case)
    external_ref TEXT UNIQUE,              -- the publisher's account id
    created_at   INTEGER NOT NULL,
    erased_at    INTEGER
);
INSERT INTO supporters_keyed (id, email, external_ref, created_at, erased_at)
SELECT id, email, external_ref, created_at, erased_at FROM supporters ORDER BY rowid;

CREATE TABLE payments_keyed (
    seq           INTEGER PRIMARY KEY REFERENCES ledger_transactions(seq),
    id            TEXT NOT NULL UNIQUE,
    pledge_seq    INTEGER REFERENCES pledges(seq),
    supporter_seq INTEGER REFERENCES supporters(seq),
    cadence       TEXT NOT NULL CHECK (cadence IN ('one_off', 'monthly', 'annual')),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    fee           INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    currency      TEXT NOT NULL,
    occurred_at   INTEGER NOT NULL
);
INSERT INTO payments_keyed (seq, id, pledge_seq, supporter_seq, cadence, amount, fee, currency, occurred_at)
SELECT t.seq, y.id, p.seq, s.seq, y.cadence, y.amount, y.fee, y.currency, y.occurred_at
FROM payments y
JOIN ledger_transactions t ON t.id = y.transaction_id
LEFT JOIN pledges p ON p.id = y.pledge_id
LEFT JOIN supporters_keyed s ON s.id = y.supporter_id
ORDER BY t.seq;

CREATE TABLE reversals_keyed (
    seq          INTEGER PRIMARY KEY REFERENCES ledger_transactions(seq),
    id           TEXT NOT NULL UNIQUE,
    payment_seq  INTEGER NOT NULL REFERENCES payments(seq),
    kind         TEXT NOT NULL CHECK (kind IN ('refund', 'chargeback')),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    fee          INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    currency     TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL
);
INSERT INTO reversals_keyed (seq, id, payment_seq, kind, amount, fee, currency, occurred_at)
SELECT t.seq, r.id, y.seq, r.kind, r.amount, r.fee, r.currency, r.occurred_at
FROM reversals r
JOIN ledger_transactions t ON t.id = r.transaction_id
JOIN payments_keyed y ON y.id = r.payment_id
ORDER BY t.seq;

DROP TABLE reversals;
DROP TABLE payments;
DROP TABLE supporters;
ALTER TABLE supporters_keyed RENAME TO supporters;
ALTER TABLE payments_keyed RENAME TO payments;
ALTER TABLE reversals_keyed RENAME TO reversals;

CREATE INDEX payments_pledge ON payments(pledge_seq);
-- The month's receipts when its bounds are not on quarter-hours, and its paying supporters.
CREATE INDEX payments_month ON payments(occurred_at, currency, supporter_seq);
CREATE INDEX reversals_payment ON reversals(payment_seq);
CREATE INDEX reversals_receipts ON reversals(occurred_at, currency, kind, amount, fee);

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER reversals_no_update BEFORE UPDATE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals is append-only'); END;
CREATE TRIGGER reversals_no_delete BEFORE DELETE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals is append-only'); END;

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

-- A payment or reversal as users see it: with its transaction's, pledge's and supporter's public ids.
CREATE VIEW payment_facts AS
SELECT y.seq, y.id, t.id AS transaction_id, p.id AS pledge_id, s.id AS supporter_id, y.cadence, t.processor,
       t.external_id, y.amount, y.fee, y.currency, y.occurred_at
FROM payments y
JOIN ledger_transactions t ON t.seq = y.seq
LEFT JOIN pledges p ON p.seq = y.pledge_seq
LEFT JOIN supporters s ON s.seq = y.supporter_seq;

CREATE VIEW reversal_facts AS
SELECT r.seq, r.id, t.id AS transaction_id, y.id AS payment_id, r.payment_seq, r.kind, t.processor, t.external_id,
       r.amount, r.fee, r.currency, r.occurred_at
FROM reversals r
JOIN ledger_transactions t ON t.seq = r.seq
JOIN payments y ON y.seq = r.payment_seq;
