-- The checklist's category names by id, in checklist order. Columns: category_id, name.
SELECT id AS category_id, name
FROM categories
ORDER BY position, id
