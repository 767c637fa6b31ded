-- 0008: what an agency should upload for each category (checklist.yaml's upload_hint), kept
-- with the category so the reminders read it from the warehouse like every other fact.
ALTER TABLE categories ADD COLUMN upload_hint VARCHAR;
