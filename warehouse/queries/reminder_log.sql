-- The reminder log, oldest first: every message claimed, sent, failed or skipped, with the
-- score the agency had in the run the message was about (NULL for a run without a score).
-- Columns: id, agency_id, run_id, kind ('reminder' or 'digest'), channel ('email',
-- 'apprise'), recipients, cc, categories, about_agencies, status, reason, error, attempts,
-- message_id, subject, created_at, sent_at, updated_at, score.
SELECT r.id, r.agency_id, r.run_id, r.kind, r.channel, r.recipients, r.cc, r.categories,
       r.about_agencies, r.status, r.reason, r.error, r.attempts, r.message_id, r.subject,
       r.created_at, r.sent_at, r.updated_at, ar.score
FROM reminders AS r
LEFT JOIN agency_runs AS ar ON ar.run_id = r.run_id AND ar.agency_id = r.agency_id
ORDER BY r.id
