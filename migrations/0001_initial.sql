-- Pledger's ledger, version 1.
-- Instants are INTEGER milliseconds since 1970 UTC; money is INTEGER minor units beside a
-- currency code. Tables marked append-only refuse UPDATE and DELETE through triggers:
-- a correction is a new row, never an edit.

CREATE TABLE supporters (
    id           TEXT PRIMARY KEY,
    email        TEXT UNIQUE,              -- normalised (trimmed, lower-case)
    external_ref TEXT UNIQUE,              -- the publisher's account id
    created_at   INTEGER NOT NULL
);

CREATE TABLE pledges (
    id             TEXT PRIMARY KEY,
    supporter_id   TEXT NOT NULL REFERENCES supporters(id),
    cadence        TEXT NOT NULL CHECK (cadence IN ('one_off', 'monthly', 'annual')),
    amount         INTEGER NOT NULL CHECK (amount > 0),   -- current amount; history in pledge_events
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'active', 'completed', 'past_due', 'cancelled', 'expired')),
    source         TEXT,
    processor      TEXT,
    processor_ref  TEXT,
    created_at     INTEGER NOT NULL,
    first_paid_at  INTEGER,               -- MRR counts from here ...
    cancelled_at   INTEGER,               -- ... until here
    seq            INTEGER NOT NULL UNIQUE -- insertion order, for stable newest-first listing
);
CREATE INDEX pledges_supporter ON pledges(supporter_id);
CREATE INDEX pledges_created ON pledges(created_at);
CREATE INDEX pledges_recurring ON pledges(currency, cadence, first_paid_at) WHERE cadence <> 'one_off';

-- Append-only history of every pledge: creation, status moves and amount changes.
CREATE TABLE pledge_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    pledge_id    TEXT NOT NULL REFERENCES pledges(id),
    kind         TEXT NOT NULL CHECK (kind IN ('created', 'status', 'amount')),
    occurred_at  INTEGER NOT NULL,
    from_status  TEXT,
    to_status    TEXT,
    amount       INTEGER,                 -- for 'created' and 'amount': the amount from then on
    old_amount   INTEGER
);
CREATE INDEX pledge_events_pledge ON pledge_events(pledge_id, kind, occurred_at);
CREATE INDEX pledge_events_time ON pledge_events(occurred_at);

-- Append-only double-entry ledger.
CREATE TABLE ledger_transactions (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'chargeback', 'adjustment')),
    processor    TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    UNIQUE (processor, external_id)       -- the same money is never booked twice
);
CREATE INDEX ledger_transactions_time ON ledger_transactions(occurred_at);

CREATE TABLE ledger_postings (
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
    line           INTEGER NOT NULL,
    account        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    amount         INTEGER NOT NULL,      -- minor units; debits positive, credits negative
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX ledger_postings_account ON ledger_postings(account);

-- The facts behind payment and reversal transactions (who, which pledge), append-only.
CREATE TABLE payments (
    id             TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE REFERENCES ledger_transactions(id),
    pledge_id      TEXT REFERENCES pledges(id),
    supporter_id   TEXT REFERENCES supporters(id),
    cadence        TEXT NOT NULL CHECK (cadence IN ('one_off', 'monthly', 'annual')),
    processor      TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    fee            INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    currency       TEXT NOT NULL,
    occurred_at    INTEGER NOT NULL,
    UNIQUE (processor, external_id)
);
CREATE INDEX payments_time ON payments(occurred_at);
CREATE INDEX payments_pledge ON payments(pledge_id);
CREATE INDEX payments_external ON payments(external_id);

CREATE TABLE reversals (
    id             TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE REFERENCES ledger_transactions(id),
    payment_id     TEXT NOT NULL REFERENCES payments(id),
    kind           TEXT NOT NULL CHECK (kind IN ('refund', 'chargeback')),
    processor      TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    fee            INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    currency       TEXT NOT NULL,
    occurred_at    INTEGER NOT NULL,
    UNIQUE (processor, external_id)
);
CREATE INDEX reversals_payment ON reversals(payment_id);
CREATE INDEX reversals_time ON reversals(occurred_at);

CREATE TABLE reminders (
    id            TEXT PRIMARY KEY,
    supporter_id  TEXT NOT NULL REFERENCES supporters(id),
    campaign      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'sent', 'converted')),
    due_at        INTEGER NOT NULL,
    deferrals     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    converted_at  INTEGER,
    converted_pledge_id TEXT REFERENCES pledges(id)
);
-- At most one open reminder per supporter and campaign: scheduling again defers it.
CREATE UNIQUE INDEX reminders_one_open ON reminders(supporter_id, campaign) WHERE status = 'open';
CREATE INDEX reminders_due ON reminders(due_at) WHERE status = 'open';

-- Append-only history of reminders: scheduled, deferred, sent, converted.
CREATE TABLE reminder_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder_id  TEXT NOT NULL REFERENCES reminders(id),
    kind         TEXT NOT NULL CHECK (kind IN ('scheduled', 'deferred', 'sent', 'converted')),
    occurred_at  INTEGER NOT NULL,
    due_at       INTEGER
);
CREATE INDEX reminder_events_time ON reminder_events(occurred_at);

CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger_transactions is append-only'); END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'ledger_postings is append-only'); END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'ledger_postings is append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER reversals_no_update BEFORE UPDATE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals is append-only'); END;
CREATE TRIGGER reversals_no_delete BEFORE DELETE ON reversals
BEGIN SELECT RAISE(ABORT, 'reversals is append-only'); END;
CREATE TRIGGER pledge_events_no_update BEFORE UPDATE ON pledge_events
BEGIN SELECT RAISE(ABORT, 'pledge_events is append-only'); END;
CREATE TRIGGER pledge_events_no_delete BEFORE DELETE ON pledge_events
BEGIN SELECT RAISE(ABORT, 'pledge_events is append-only'); END;
CREATE TRIGGER reminder_events_no_update BEFORE UPDATE ON reminder_events
BEGIN SELECT RAISE(ABORT, 'reminder_events is append-only'); END;
CREATE TRIGGER reminder_events_no_delete BEFORE DELETE ON reminder_events
BEGIN SELECT RAISE(ABORT, 'reminder_events is append-only'); END;
