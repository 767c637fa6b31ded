-- Log a planned message as 'pending' before it is sent (a new row); returns its id.
-- Parameters: $agency_id, $run_id, $kind, $channel, $recipients, $cc, $categories,
-- $about_agencies, $subject, $message_id, $now.
INSERT INTO reminders (agency_id, run_id, kind, channel, recipients, cc, categories,
                       about_agencies, subject, message_id, status, attempts, created_at,
                       updated_at)
VALUES ($agency_id, $run_id, $kind, $channel, $recipients, $cc, $categories, $about_agencies,
        $subject, $message_id, 'pending', 0, $now, $now)
RETURNING id
