-- 0011: the evidence bundle's last two facts (issue 14). Forward-only.
--
-- evidence_sha256 (0010) is the SHA-256 of the evidence body as read. Documents are only
-- probed (crawl.document_probe_bytes) and pages stop at crawl.max_page_bytes, so the hash may
-- cover only the body's first bytes: evidence_sha256_bytes says how many (NULL: the whole
-- body). evidence_from_cache: the server answered 304 Not Modified, so status, type, size and
-- hash are those of the run that last read the body (unchanged content keeps its hash).
ALTER TABLE findings ADD COLUMN evidence_sha256_bytes BIGINT;
ALTER TABLE findings ADD COLUMN evidence_from_cache BOOLEAN;
