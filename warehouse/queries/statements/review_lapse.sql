-- An override lapses by itself (the evidence it judged changed): lapsed_at, lapse_reason.
-- Parameters: $review_id, $at, $lapse_reason.
UPDATE reviews
SET lapsed_at = $at, lapse_reason = $lapse_reason, version = version + 1
WHERE id = $review_id AND lapsed_at IS NULL AND revoked_at IS NULL
RETURNING id
