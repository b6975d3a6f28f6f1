-- Indexes for the reports: each month's figures are range scans over instants, so a month
-- costs what it holds, not what the whole history holds.

-- Recurring pledges by first payment (MRR starts, "activated") and by cancellation (MRR stops).
CREATE INDEX pledges_first_paid ON pledges(first_paid_at) WHERE cadence <> 'one_off' AND first_paid_at IS NOT NULL;
CREATE INDEX pledges_cancelled ON pledges(cancelled_at) WHERE cadence <> 'one_off' AND cancelled_at IS NOT NULL;
-- Recurring pledges never cancelled: with the one above, the pledges live at an instant are found
-- without reading those that ended long before it.
CREATE INDEX pledges_uncancelled ON pledges(first_paid_at) WHERE cadence <> 'one_off' AND cancelled_at IS NULL;

-- Pledges that ever fell past due, for the MRR at risk.
CREATE INDEX pledge_events_past_due ON pledge_events(pledge_id, occurred_at) WHERE kind = 'status' AND to_status = 'past_due';

-- Covering indexes for the month-by-month sums: the transactions of a month with their kind, and
-- the payments of a month with their currency and supporter, read without touching the tables.
CREATE INDEX ledger_transactions_month ON ledger_transactions(occurred_at, id, kind);
CREATE INDEX payments_month ON payments(occurred_at, currency, supporter_id);
