-- 0015: the evidence's two hashes (issue 14). Forward-only.
--
-- evidence_sha256 (0010) is the hash of the evidence as Pantau judged it, the one reviews
-- compare: for a document, the SHA-256 of its bytes (evidence_sha256_bytes: only that many
-- first bytes were read); for an HTML page, the SHA-256 of what detection read on it (title,
-- headings, the links of its content with their text), stable while only a visitor counter, a
-- date or a script token in its HTML changes. evidence_body_sha256 is the SHA-256 of the body
-- as the server sent it (decoded), for both kinds: what a person can check with sha256sum.
ALTER TABLE findings ADD COLUMN evidence_body_sha256 VARCHAR;
