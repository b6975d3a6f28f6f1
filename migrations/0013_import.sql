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

-- Finding a pledge by the processor reference it was created with (a subscription id, a one-off's
-- payment id) scanned every pledge: fine for a webhook now and then, quadratic for an import.
CREATE INDEX pledges_processor_ref ON pledges(processor, processor_ref);
