-- What happened to a claimed message: 'sent' or 'failed' (attempts add up across batches).
-- Parameters: $id, $status, $reason, $error, $attempts, $sent_at, $now.
UPDATE reminders
SET status = $status, reason = $reason, error = $error, attempts = attempts + $attempts,
    sent_at = $sent_at, updated_at = $now
WHERE id = $id
