-- The status of one reminder row: id (the row), status. Parameter: $id.
SELECT id, status FROM reminders WHERE id = $id
