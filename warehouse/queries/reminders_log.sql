-- The reminders log, newest first: every attempt (pending, sent, failed, skipped) with the
-- agency's name. Reads only the columns of migration 0001. Columns: id, created_at, sent_at,
-- agency_id, agency_name, run_id, channel, recipients, cc, categories (comma-separated ids),
-- status, reason, error, attempts.
SELECT r.id, r.created_at, r.sent_at, r.agency_id,
       coalesce(a.name, r.agency_id) AS agency_name,
       r.run_id, r.channel, r.recipients, r.cc,
       array_to_string(r.categories, ', ') AS categories,
       r.status, r.reason, r.error, r.attempts
FROM reminders AS r
LEFT JOIN agencies AS a ON a.id = r.agency_id
ORDER BY r.created_at DESC, r.id DESC
