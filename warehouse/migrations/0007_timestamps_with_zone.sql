-- 0007: every timestamp carries its time zone (TIMESTAMPTZ), shown in schedule.timezone.
-- Values written before this migration were naive: the crawl's were the server's local time
-- (the session zone this migration runs in, DuckDB's default), the reminder log's were
-- written in schedule.timezone, taken here as its default, Asia/Jakarta (WIB).
ALTER TABLE agencies ALTER COLUMN updated_at TYPE TIMESTAMPTZ;
ALTER TABLE runs ALTER COLUMN started_at TYPE TIMESTAMPTZ;
ALTER TABLE runs ALTER COLUMN finished_at TYPE TIMESTAMPTZ;
ALTER TABLE agency_runs ALTER COLUMN started_at TYPE TIMESTAMPTZ;
ALTER TABLE agency_runs ALTER COLUMN checked_at TYPE TIMESTAMPTZ;
ALTER TABLE pages ALTER COLUMN fetched_at TYPE TIMESTAMPTZ;
ALTER TABLE documents ALTER COLUMN checked_at TYPE TIMESTAMPTZ;
ALTER TABLE findings ALTER COLUMN checked_at TYPE TIMESTAMPTZ;
ALTER TABLE http_cache ALTER COLUMN updated_at TYPE TIMESTAMPTZ;
ALTER TABLE reminders ALTER COLUMN created_at TYPE TIMESTAMPTZ
    USING timezone('Asia/Jakarta', created_at);
ALTER TABLE reminders ALTER COLUMN sent_at TYPE TIMESTAMPTZ
    USING timezone('Asia/Jakarta', sent_at);
ALTER TABLE reminders ALTER COLUMN updated_at TYPE TIMESTAMPTZ
    USING timezone('Asia/Jakarta', updated_at);
