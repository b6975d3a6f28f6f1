-- Imports (`pledger import stripe`): the processor's own id for a supporter (a Stripe customer
-- `cus_…`), so that a re-run of an import finds the supporter it created instead of making a
-- second one. The publisher's account id stays in supporters.external_ref; this is another key.
CREATE TABLE supporter_refs (
    processor    TEXT NOT NULL,
    ref          TEXT NOT NULL,
    supporter_id TEXT NOT NULL REFERENCES supporters(id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (processor, ref)
);
CREATE INDEX supporter_refs_supporter ON supporter_refs(supporter_id);
