-- Recording a pledge converts the supporter's open or sent reminders; without this index that
-- lookup scanned every reminder, so entering history slowed down as it grew.
CREATE INDEX reminders_supporter ON reminders(supporter_id);
