-- When a form token was spent (no row: not yet). Parameters: $token_id.
SELECT token_id, agency_id, used_at FROM token_uses WHERE token_id = $token_id
