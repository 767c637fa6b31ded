-- Log a message that is not sent, with the reason. Parameters: $agency_id, $run_id, $kind,
-- $channel, $categories, $about_agencies, $reason, $now.
INSERT INTO reminders (agency_id, run_id, kind, channel, categories, about_agencies, status,
                       reason, attempts, created_at, updated_at)
VALUES ($agency_id, $run_id, $kind, $channel, $categories, $about_agencies, 'skipped',
        $reason, 0, $now, $now)
