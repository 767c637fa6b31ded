-- Rows already holding a message's key (agency, run, kind, channel) as pending, sent or
-- failed: id. Parameters: $agency_id, $run_id, $kind, $channel.
SELECT id
FROM reminders
WHERE agency_id = $agency_id AND run_id = $run_id AND kind = $kind AND channel = $channel
  AND status IN ('pending', 'sent', 'failed')
ORDER BY id
