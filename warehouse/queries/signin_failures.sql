-- Failed sign-ins of one name since $since and since its last successful sign-in (from the
-- audit trail): failures, first_failure. Parameters: $actor ('pengguna:<name>'), $since.
SELECT count(*) AS failures, min(logged_at) AS first_failure
FROM audit_log
WHERE action = 'signin_failed' AND actor = $actor AND logged_at > $since
  AND logged_at > coalesce((SELECT max(logged_at) FROM audit_log
                            WHERE action = 'signin' AND actor = $actor),
                           '-infinity'::TIMESTAMPTZ)
