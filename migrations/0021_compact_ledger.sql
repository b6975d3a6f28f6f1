-- pledger: rebuilds-tables
-- The ledger's core, compacted (issue 17). A payment's transaction, four postings and chain entry
-- took about 700 bytes, mostly 23-character text ids repeated in every row and index:
--  * ledger_transactions gains an integer key, `seq`, the order the transactions were booked in,
--    and carries its hash-chain entry itself (`hash`, 32 bytes), so ledger_chain and its two
--    b-trees go. The link to the entry before is the order of `seq` (a removed transaction
--    leaves a gap, and the next hash no longer recomputes); the hashes are unchanged.
--  * ledger_postings is keyed by (transaction_seq, line) WITHOUT ROWID: one b-tree instead of a
--    table and its primary-key index. Accounts are named once, in ledger_accounts.
--  * payments_time goes (a prefix of payments_receipts); ledger_transactions_month becomes an
--    index on occurred_at alone (seq rides along as the key); payments_external goes (the
--    (processor, external_id) key serves a lookup by external id, one processor at a time); the
--    postings' account index goes (no query looks postings up by account).
-- The public `tx_…` ids stay, unique, where users see them (the API, exports, verify).

CREATE TABLE ledger_accounts (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO ledger_accounts (name) SELECT DISTINCT account FROM ledger_postings ORDER BY account;

CREATE TABLE ledger_transactions_compact (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'chargeback', 'adjustment')),
    processor    TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    -- SHA-256 over the hash before it and this transaction's canonical text; NULL only until a
    -- transaction written before the chain existed is chained on open.
    hash         BLOB CHECK (hash IS NULL OR length(hash) = 32),
    UNIQUE (processor, external_id)       -- the same money is never booked twice
);
-- In chain order; transactions never chained (written before 0005, chained on open) last.
INSERT INTO ledger_transactions_compact (id, kind, processor, external_id, occurred_at, recorded_at, hash)
SELECT t.id, t.kind, t.processor, t.external_id, t.occurred_at, t.recorded_at, pledger_unhex(c.hash)
FROM ledger_transactions t LEFT JOIN ledger_chain c ON c.transaction_id = t.id
ORDER BY c.seq IS NULL, c.seq, t.rowid;

CREATE TABLE ledger_postings_compact (
    transaction_seq INTEGER NOT NULL REFERENCES ledger_transactions(seq),
    line            INTEGER NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES ledger_accounts(id),
    currency        TEXT NOT NULL,
    amount          INTEGER NOT NULL,      -- minor units; debits positive, credits negative
    PRIMARY KEY (transaction_seq, line)
) WITHOUT ROWID;
INSERT INTO ledger_postings_compact (transaction_seq, line, account_id, currency, amount)
SELECT n.seq, p.line, a.id, p.currency, p.amount
FROM ledger_postings p
JOIN ledger_transactions_compact n ON n.id = p.transaction_id
JOIN ledger_accounts a ON a.name = p.account
ORDER BY n.seq, p.line;

DROP TABLE ledger_chain;
DROP TABLE ledger_postings;
DROP TABLE ledger_transactions;
ALTER TABLE ledger_transactions_compact RENAME TO ledger_transactions;
ALTER TABLE ledger_postings_compact RENAME TO ledger_postings;

CREATE INDEX ledger_transactions_time ON ledger_transactions(occurred_at);
DROP INDEX payments_time;
-- A lookup by external id alone walks the processors through the (processor, external_id) key.
DROP INDEX payments_external;

-- Append-only, as before. The one change a transaction may see: its hash, set once when a
-- transaction written before the chain existed is chained.
CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.seq = OLD.seq AND NEW.id = OLD.id
          AND NEW.kind = OLD.kind AND NEW.processor = OLD.processor AND NEW.external_id = OLD.external_id
          AND NEW.occurred_at = OLD.occurred_at AND NEW.recorded_at = OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'ledger_postings is append-only'); END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'ledger_postings is append-only'); END;
CREATE TRIGGER ledger_accounts_no_update BEFORE UPDATE ON ledger_accounts
BEGIN SELECT RAISE(ABORT, 'ledger_accounts is append-only'); END;
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
BEGIN SELECT RAISE(ABORT, 'ledger_accounts is append-only'); END;
