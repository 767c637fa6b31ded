-- Store an agency's score and band for one run after a review changed a status.
-- Parameters: $run_id, $agency_id, $score, $band.
UPDATE agency_runs
SET score = $score, band = $band
WHERE run_id = $run_id AND agency_id = $agency_id
RETURNING score, band
