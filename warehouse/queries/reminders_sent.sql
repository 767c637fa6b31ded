-- Each agency's newest reminder that went out (kind 'reminder', status 'sent'): agency_id,
-- run_id, sent_at, categories (the category ids it asked for).
SELECT agency_id, run_id, sent_at, categories
FROM reminders
WHERE kind = 'reminder' AND status = 'sent' AND sent_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY sent_at DESC, id DESC) = 1
ORDER BY agency_id
