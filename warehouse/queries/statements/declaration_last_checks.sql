-- Each declaration's latest check before the run being written: whether it was confirmed.
-- Columns: declaration_id, confirmed. No parameters.
SELECT declaration_id, confirmed
FROM declaration_checks
QUALIFY row_number() OVER (PARTITION BY declaration_id ORDER BY run_id DESC) = 1
