-- The checklist categories in order: category_id, name, category_group, legal_basis, weight.
SELECT id AS category_id, name, category_group, legal_basis, weight
FROM categories
ORDER BY position
