-- Close a review in force: revoked by a reviewer (or replaced by a later review), only if
-- it is still at $expected_version and neither revoked nor lapsed (optimistic concurrency).
-- Returns the closed row (no row: someone else changed it first).
-- Parameters: $review_id, $expected_version, $at, $by.
UPDATE reviews
SET revoked_at = $at, revoked_by = $by, version = version + 1
WHERE id = $review_id AND version = $expected_version
  AND revoked_at IS NULL AND lapsed_at IS NULL
RETURNING id, agency_id, category_id, kind, status, replaced_status, reason, reviewer,
          created_at, revoked_at, revoked_by, version
