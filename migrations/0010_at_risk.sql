-- MRR at risk reads only the pledges that can be past due at a month's end: those past due now,
-- and those that left past due since the month began. Before, it read every past-due event ever.
CREATE INDEX pledges_past_due ON pledges(id) WHERE status = 'past_due';
CREATE INDEX pledge_events_left_past_due ON pledge_events(occurred_at, pledge_id) WHERE kind = 'status' AND from_status = 'past_due';
