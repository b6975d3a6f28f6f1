-- Processor references name pledges and payments by their integer keys (issues 16 and 17). An
-- imported Stripe charge links its charge and invoice ids to its payment: two rows of about 90
-- bytes, each again in a unique index on an expression over two 23-character text ids, so that
-- index was the import's costliest insert after the ledger's own.
--  * One b-tree: WITHOUT ROWID, keyed by (processor, ref, pledge_seq, payment_seq), which is
--    both the link's uniqueness and the lookup by (processor, ref) every reader makes.
--  * 0 stands for "names no pledge" or "no payment": a key's columns cannot be NULL here.

-- Refuses (naming this column) a ledger with a reference to a pledge or payment it lacks:
-- such a link could not be carried over and would be lost.
CREATE TEMP TABLE migration_0024_guard (
    processor_refs_name_pledges_and_payments_the_ledger_holds INTEGER
        CHECK (processor_refs_name_pledges_and_payments_the_ledger_holds = 0)
);
INSERT INTO migration_0024_guard
SELECT COUNT(*) FROM processor_refs r
LEFT JOIN pledges p ON p.id = r.pledge_id
LEFT JOIN payments y ON y.id = r.payment_id
WHERE (r.pledge_id IS NOT NULL AND p.seq IS NULL) OR (r.payment_id IS NOT NULL AND y.seq IS NULL);
DROP TABLE migration_0024_guard;

CREATE TABLE processor_refs_keyed (
    processor   TEXT NOT NULL,
    ref         TEXT NOT NULL,
    pledge_seq  INTEGER NOT NULL,    -- pledges.seq, or 0
    payment_seq INTEGER NOT NULL,    -- payments.seq, or 0
    created_at  INTEGER NOT NULL,
    CHECK (pledge_seq > 0 OR payment_seq > 0),
    PRIMARY KEY (processor, ref, pledge_seq, payment_seq)
) WITHOUT ROWID;

INSERT INTO processor_refs_keyed (processor, ref, pledge_seq, payment_seq, created_at)
SELECT r.processor, r.ref, IFNULL(p.seq, 0), IFNULL(y.seq, 0), MIN(r.created_at)
FROM processor_refs r
LEFT JOIN pledges p ON p.id = r.pledge_id
LEFT JOIN payments y ON y.id = r.payment_id
GROUP BY r.processor, r.ref, IFNULL(p.seq, 0), IFNULL(y.seq, 0);

DROP TABLE processor_refs;
ALTER TABLE processor_refs_keyed RENAME TO processor_refs;
