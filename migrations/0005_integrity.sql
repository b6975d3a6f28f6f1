-- A hash chain over the ledger: each transaction's entry holds SHA-256 of the previous entry's
-- hash and of the transaction's canonical content (ids, times, kind, postings). Editing any
-- ledger row behind Pledger's back, even one that keeps the books balanced, breaks the chain
-- from that row on, and `pledger verify` names it. Hashes are computed in Swift (libcrypto);
-- transactions written before this migration are chained when the database is next opened.
CREATE TABLE ledger_chain (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT NOT NULL UNIQUE REFERENCES ledger_transactions(id),
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);

CREATE TRIGGER ledger_chain_no_update BEFORE UPDATE ON ledger_chain
BEGIN SELECT RAISE(ABORT, 'ledger_chain is append-only'); END;
CREATE TRIGGER ledger_chain_no_delete BEFORE DELETE ON ledger_chain
BEGIN SELECT RAISE(ABORT, 'ledger_chain is append-only'); END;
