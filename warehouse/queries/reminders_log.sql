-- The reminders log for people, newest first: every attempt (pending, sent, failed, skipped)
-- with the agency's name. Columns: id, created_at, sent_at, agency_id, agency_name, run_id,
-- kind ('reminder' or 'digest'), subject, channel, recipients, cc, categories
-- (comma-separated ids), status, reason, error, attempts.
SELECT r.id, r.created_at, r.sent_at, r.agency_id,
       coalesce(a.name, r.agency_id) AS agency_name,
       r.run_id, r.kind, r.subject, r.channel, r.recipients, r.cc,
       array_to_string(r.categories, ', ') AS categories,
       r.status, r.reason, r.error, r.attempts
FROM reminders AS r
LEFT JOIN agencies AS a ON a.id = r.agency_id
ORDER BY r.created_at DESC, r.id DESC
