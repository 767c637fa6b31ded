-- What reminders asked for and has not been found since, with the reply-by date each message
-- named (reminder_followup rows still open): the PPID Utama's digest names the agencies past
-- that date. Columns: agency_id, category_id, reply_by, sent_at.
SELECT agency_id, category_id, reply_by, sent_at
FROM reminder_followup
WHERE open AND reply_by IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY agency_id, category_id ORDER BY sent_at) = 1
ORDER BY agency_id, category_id
