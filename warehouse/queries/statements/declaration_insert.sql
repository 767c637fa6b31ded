-- Open one declaration. Parameters: $agency_id, $category_id, $url, $note, $source
-- ('file' or 'form'), $declared_by (the audit actor), $declared_at (with its zone).
INSERT INTO declarations (agency_id, category_id, url, note, source, declared_by, declared_at)
VALUES ($agency_id, $category_id, $url, $note, $source, $declared_by, $declared_at)
RETURNING id
