-- What supporters asked for from their own page (pause, change, cancel with a reason). The
-- processor's webhook confirms each; until then the page shows it as requested. Kept after
-- confirmation: the cancellation reasons are counted in the monthly report.
CREATE TABLE supporter_requests (
    id            TEXT PRIMARY KEY,          -- sr_…
    pledge_id     TEXT NOT NULL REFERENCES pledges(id),
    kind          TEXT NOT NULL CHECK (kind IN ('pause', 'change', 'cancel')),
    months        INTEGER CHECK (months BETWEEN 1 AND 3),
    amount        INTEGER CHECK (amount > 0),
    currency      TEXT,
    cadence       TEXT CHECK (cadence IN ('monthly', 'annual')),
    reason        TEXT CHECK (reason IN ('too_expensive', 'payment_problems', 'prefer_one_off',
                                         'unhappy_with_coverage', 'other')),
    note          TEXT,
    requested_at  INTEGER NOT NULL,
    confirmed_at  INTEGER
);
CREATE INDEX supporter_requests_pledge ON supporter_requests(pledge_id, kind) WHERE confirmed_at IS NULL;
CREATE INDEX supporter_requests_cancel_time ON supporter_requests(requested_at) WHERE kind = 'cancel';
