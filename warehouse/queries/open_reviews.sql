-- What awaits a reviewer (view open_reviews): open claims (kind 'claim': an OPD's declared
-- evidence its latest check did not confirm, or not checked yet, unanswered by a review) and
-- the overrides in force (kind 'override'), oldest first. Columns: kind, agency_id,
-- agency_name, category_id, category_name, evidence_url, detail, note, actor, since,
-- checked_at, declaration_id, review_id.
SELECT * FROM open_reviews ORDER BY since, agency_id, category_id
