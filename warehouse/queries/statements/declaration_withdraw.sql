-- Close one open declaration (a newer one replaces it, or its file row is gone).
-- Parameters: $id, $at (with its zone). Returns the closed row's id (none when already closed).
UPDATE declarations SET withdrawn_at = $at
WHERE id = $id AND withdrawn_at IS NULL
RETURNING id
