-- The publisher's endpoints and the deliveries of outbox events to them. Deliveries are not fanned
-- out in the event's transaction: the deliverer walks each endpoint's events after its cursor and
-- records outcomes in its own transactions, so writing an event costs the same with or without endpoints.
CREATE TABLE endpoints (
    id                          TEXT PRIMARY KEY,          -- ep_…
    url                         TEXT NOT NULL,
    description                 TEXT,
    events                      TEXT NOT NULL,             -- the filter as given: pledge.*,reminder.due
    secret                      TEXT NOT NULL,             -- whsec_…; kept because every delivery is signed with it
    previous_secret             TEXT,                      -- the secret before the last rotation…
    previous_secret_expires_at  INTEGER,                   -- …which keeps signing until then (24 h)
    status                      TEXT NOT NULL CHECK (status IN ('enabled', 'disabled', 'removed')),
    disabled_reason             TEXT,
    start_sequence              INTEGER NOT NULL,          -- receives the events after this one: no history
    cursor_sequence             INTEGER NOT NULL,          -- every event up to here is not for it or has a delivery
    failing_since               INTEGER,                   -- every attempt since then failed; cleared by a success
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL,
    CHECK (cursor_sequence >= start_sequence)
);

CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,                     -- dlv_…
    endpoint_id      TEXT NOT NULL REFERENCES endpoints(id),
    event_sequence   INTEGER NOT NULL REFERENCES outbox_events(sequence),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at  INTEGER,                              -- set while pending
    last_attempt_at  INTEGER,
    last_status      INTEGER,                              -- the HTTP status of the last answer, if any
    last_error       TEXT,                                 -- for a person; never a secret
    delivered_at     INTEGER,
    created_at       INTEGER NOT NULL,
    UNIQUE (endpoint_id, event_sequence)
);
-- The deliverer's question: this endpoint's earliest pending delivery.
CREATE INDEX deliveries_pending ON deliveries(endpoint_id, event_sequence) WHERE status = 'pending';
CREATE INDEX deliveries_by_status ON deliveries(status, endpoint_id, event_sequence);
