-- Every declaration, oldest first (the declarations file is compared with them: an unchanged
-- row is not recorded again, a changed one replaces the open declaration).
-- Columns: id, agency_id, category_id, url, note, source, declared_by, declared_at, withdrawn_at.
SELECT id, agency_id, category_id, url, note, source, declared_by, declared_at, withdrawn_at
FROM declarations
ORDER BY id
