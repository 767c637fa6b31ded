-- A reviewer's judgement of one finding (kind 'confirm' or 'override'), as it saw it.
-- Parameters: $agency_id, $category_id, $run_id, $kind, $status, $replaced_status,
-- $detector_status, $evidence_url, $evidence_sha256, $reason, $reviewer, $created_at.
INSERT INTO reviews (agency_id, category_id, run_id, kind, status, replaced_status,
                     detector_status, evidence_url, evidence_sha256, reason, reviewer, created_at)
VALUES ($agency_id, $category_id, $run_id, $kind, $status, $replaced_status,
        $detector_status, $evidence_url, $evidence_sha256, $reason, $reviewer, $created_at)
RETURNING id
