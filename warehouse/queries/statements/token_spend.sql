-- Spend a form token (its id is the primary key: a second use of the same token fails).
-- Parameters: $token_id, $agency_id, $used_at (with its zone).
INSERT INTO token_uses (token_id, agency_id, used_at) VALUES ($token_id, $agency_id, $used_at)
