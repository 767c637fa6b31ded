-- 0004: what the reminders need to deliver each message once (pantau/reminders).
-- kind: 'reminder' (to one agency about its own gaps) or 'digest' (to a PPID Utama about the
-- sites that could not be crawled). message_id is fixed when the row is claimed ('pending')
-- and reused on every retry, so a resend after a crash carries the same Message-ID.
-- about_agencies: the agencies a digest lists. updated_at: the last change of status.
ALTER TABLE reminders ADD COLUMN kind VARCHAR DEFAULT 'reminder';
ALTER TABLE reminders ADD COLUMN subject VARCHAR;
ALTER TABLE reminders ADD COLUMN message_id VARCHAR;
ALTER TABLE reminders ADD COLUMN about_agencies VARCHAR[];
ALTER TABLE reminders ADD COLUMN updated_at TIMESTAMP;
UPDATE reminders SET kind = 'reminder' WHERE kind IS NULL;
