-- An agency's stored score and band in one run. Parameters: $run_id, $agency_id.
SELECT score, band FROM agency_runs WHERE run_id = $run_id AND agency_id = $agency_id
