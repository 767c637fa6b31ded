-- How one run's checks of declared URLs ended: checked, confirmed, not confirmed.
-- Columns: checked, confirmed, unconfirmed. Parameters: $run_id.
SELECT count(*) AS checked,
       count(*) FILTER (WHERE confirmed) AS confirmed,
       count(*) FILTER (WHERE NOT confirmed) AS unconfirmed
FROM declaration_checks
WHERE run_id = $run_id
