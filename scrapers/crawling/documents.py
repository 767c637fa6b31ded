"""Documents are verified, not crawled: is the linked PDF (or Office file, archive, drive
link) really there?

A PPID page that links ``laporan-2024.pdf`` publishes nothing if the link answers 404, an
empty file or the CMS's HTML error page with status 200. :func:`check_document_bytes` judges
an answer from its status, type, length and first bytes (pure); :func:`verify_document`
obtains those with as little traffic as possible: a ranged GET of the first
``document_probe_bytes`` (closed after them when the server ignores ``Range``), or a HEAD
first where bytes prove nothing (CSV, drive viewers) or when ``document_head_first`` is set,
falling back to the GET when the server refuses HEAD.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from scrapers.crawling.charset import decode_html
from scrapers.crawling.fetch import Fetcher, FetchError, Response
from scrapers.detection.doctypes import (
    DRIVE,
    content_type_kind,
    document_kind,
    looks_like_html,
    not_public_reason,
    signature_matches,
)
from scrapers.detection.firstpage import first_page_title
from scrapers.detection.hosts import HostRule, judge_host_answer
from scrapers.model import DocumentCheck


def check_document_bytes(
    url: str,
    status: int | None,
    content_type: str | None,
    first_bytes: bytes | None,
    length: int | None,
    *,
    content_disposition: str | None = None,
    final_url: str = "",
) -> tuple[bool, str]:
    """Judge one answer for a document link: (ok, reason). ``reason`` is empty when ok.

    ``first_bytes`` is None when only headers were asked for (HEAD); ``length`` is the
    Content-Length (or the full size from Content-Range), None when unknown. The expected
    type comes from the URL, else from the headers (``filename=sk.pdf`` in a
    Content-Disposition counts). ``final_url`` is where redirects ended: a download that ends
    on a log-in page, or answers 401/403, is not public.
    """
    if status is None:
        return False, "no answer"
    hidden = not_public_reason(status, final_url, first_bytes, url)
    if hidden:
        return False, hidden
    if status not in (200, 206):
        return False, f"http {status}"
    if length == 0 or (length is None and first_bytes is not None and not first_bytes):
        return False, "empty"
    kind = document_kind(url) or content_type_kind(content_type, content_disposition) or "binary"
    if kind == DRIVE:
        return True, ""
    announced_html = (content_type or "").lower().startswith(("text/html", "application/xhtml"))
    expected = "a document" if kind == "binary" else kind
    if first_bytes is None:
        if announced_html and kind != "csv":
            return False, f"html instead of {expected}"
        return True, ""
    if looks_like_html(first_bytes) or (announced_html and kind != "csv"):
        return False, f"html instead of {expected}"
    matches = signature_matches(kind, first_bytes)
    if matches is False:
        return False, f"not a {kind} file (starts with {first_bytes[:8]!r})"
    return True, ""


# --- I/O -------------------------------------------------------------------------------

HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
"""HEAD answers that say "ask with GET" rather than "the file is not there"."""


def needs_bytes(url: str) -> bool:
    """Whether the first bytes can tell more than the headers for this URL."""
    kind = document_kind(url)
    return kind not in (DRIVE, "csv")


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since headers from what the last run stored."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def full_length(response: Response) -> int | None:
    """The document's size: from ``Content-Range: bytes 0-2047/123456`` for a 206, else
    Content-Length. None when neither is given (chunked answers)."""
    content_range = response.headers.get("Content-Range", "")
    if response.status == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[-1].strip()
        if total.isdigit():
            return int(total)
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and response.status != 206:
        return int(length)
    return None


def document_check_from_response(
    url: str, response: Response, first_bytes: bytes | None
) -> DocumentCheck:
    """A DocumentCheck from one answer (GET, ranged GET or HEAD)."""
    length = full_length(response)
    if length is None and first_bytes is not None and not response.truncated:
        length = len(first_bytes)  # the whole body (or the whole range) was read
    ok, reason = check_document_bytes(
        url,
        response.status,
        response.content_type,
        first_bytes,
        length,
        content_disposition=response.headers.get("Content-Disposition"),
        final_url=response.url,
    )
    hidden = response.location and not_public_reason(None, response.location, None, url)
    if hidden:  # a redirect to a log-in page that was not followed (another host: SSO)
        ok, reason = False, hidden
    return DocumentCheck(
        url=url,
        ok=ok,
        status=response.status,
        content_type=response.content_type,
        bytes=length
        if length is not None
        else (len(first_bytes) if first_bytes is not None else None),
        last_modified=response.headers.get("Last-Modified"),
        etag=response.headers.get("ETag"),
        reason=reason,
        checked_at=datetime.now(UTC),
        **answer_evidence(response),
    )


def answer_evidence(response: Response, *, hash_body: bool = True) -> dict:
    """The evidence fields of a DocumentCheck (or Page) from one answer: the redirect chain
    followed and the SHA-256 of the body read (see ``Response.body_digest``).

    ``hash_body=False`` for an off-site host's viewer page (a Drive file, a Form): its HTML
    carries per-visit tokens, so its hash would change on every run for the same file (and
    lapse every review of it); its verdict comes from the host's rule instead."""
    sha256, sha256_bytes, whole = response.body_digest() if hash_body else (None, None, False)
    redirects = list(response.redirects)
    return {"final_url": response.url if redirects else "", "redirects": redirects,
            "sha256": sha256, "sha256_bytes": sha256_bytes, "sha256_whole": whole}


def reuse_cached(cached: DocumentCheck) -> DocumentCheck:
    """The previous run's verdict, confirmed unchanged by a 304."""
    return DocumentCheck(**{**cached.__dict__, "from_cache": True, "checked_at": datetime.now(UTC)})


def failed_check(url: str, reason: str, redirects: list[str] | None = None) -> DocumentCheck:
    """A DocumentCheck recording that the document could not be verified, and why
    (``redirects``: the hops requested before it gave up, e.g. an endless redirect chain)."""
    return DocumentCheck(url=url, ok=False, reason=reason, checked_at=datetime.now(UTC),
                         redirects=list(redirects or []))


def verify_document(
    fetcher: Fetcher,
    url: str,
    *,
    probe_bytes: int,
    head_first: bool = False,
    cached: DocumentCheck | None = None,
    allow_hop: Callable[[str], str | None] | None = None,
    deadline: float | None = None,
    title_bytes: int = 0,
) -> DocumentCheck:
    """Verify one document link over the network (see the module docstring).

    With a ``cached`` check from the last run, the request is conditional and a 304 reuses
    it. Raises BudgetExceeded when the site's time is up; other failures become a
    not-ok DocumentCheck with the reason. ``title_bytes`` > 0 reads that much of a PDF in
    the same ranged GET and keeps its first page's title (``DocumentCheck.first_page``).
    """
    validators = conditional_headers(cached.etag, cached.last_modified) if cached else {}
    if title_bytes > 0 and document_kind(url) in ("pdf", None):
        probe_bytes = max(probe_bytes, title_bytes)
        head_first = False
    else:
        title_bytes = 0
    try:
        if head_first or not needs_bytes(url):
            head = fetcher.follow(
                url, method="HEAD", headers=validators, allow_hop=allow_hop, deadline=deadline
            )
            if head.status == 304 and cached:
                return reuse_cached(cached)
            if not _head_is_enough(url, head):
                return _ranged_get(
                    fetcher, url, probe_bytes, validators, cached, allow_hop, deadline
                )
            return document_check_from_response(url, head, None)
        check = _ranged_get(fetcher, url, probe_bytes, validators, cached, allow_hop, deadline,
                            keep_title=title_bytes > 0)
        return check
    except FetchError as error:
        return failed_check(url, str(error), error.redirects)


def _head_is_enough(url: str, head: Response) -> bool:
    if head.status in HEAD_REFUSED:
        return False
    if head.status not in (200, 206):
        return True  # 404, 410, 5xx after retries, a redirect we may not follow: GET would say the same.
    return not needs_bytes(url) or head.headers.get("Content-Length", "").strip() == "0"


def _ranged_get(
    fetcher: Fetcher,
    url: str,
    probe_bytes: int,
    validators: Mapping[str, str],
    cached: DocumentCheck | None,
    allow_hop: Callable[[str], str | None] | None,
    deadline: float | None,
    keep_title: bool = False,
) -> DocumentCheck:
    headers = {**validators, "Range": f"bytes=0-{probe_bytes - 1}"}
    response = fetcher.follow(
        url, headers=headers, body_limit=probe_bytes, allow_hop=allow_hop, deadline=deadline
    )
    if response.status == 304 and cached:
        return reuse_cached(cached)
    if response.status == 416:
        # Range not satisfiable for bytes=0-…: the file has no first byte.
        return DocumentCheck(
            url=url,
            ok=False,
            status=416,
            content_type=response.content_type,
            bytes=0,
            reason="empty",
            checked_at=datetime.now(UTC),
        )
    check = document_check_from_response(url, response, response.body)
    if keep_title and check.ok:
        complete = not response.truncated and (
            response.status == 200 or (check.bytes is not None and check.bytes <= len(response.body))
        )
        check.first_page = first_page_title(response.body, complete)
    return check


def verify_host_link(
    fetcher: Fetcher,
    url: str,
    rule: HostRule,
    *,
    body_bytes: int,
    allow_hop: Callable[[str], str | None] | None = None,
    deadline: float | None = None,
) -> DocumentCheck:
    """Verify a link to an off-site publication host (a Drive file, a Form, SiRUP, JDIH …):
    GET it (following redirects, so a closed Form's ``/closedform`` or a sign-in page is
    seen), read up to ``body_bytes`` and let the host's rule judge the answer
    (:func:`scrapers.detection.hosts.judge_host_answer`). Raises BudgetExceeded when the
    site's time is up."""
    try:
        response = fetcher.follow(url, body_limit=body_bytes, allow_hop=allow_hop, deadline=deadline)
    except FetchError as error:
        return failed_check(url, f"{rule.name}: {error}", error.redirects)
    final = response.location or response.url
    text = decode_html(response.body, response.content_type) if response.body else ""
    ok, reason = judge_host_answer(rule, url, response.status, final, text)
    return DocumentCheck(
        url=url,
        ok=ok,
        status=response.status,
        content_type=response.content_type,
        bytes=len(response.body),
        reason=reason,
        checked_at=datetime.now(UTC),
        **answer_evidence(response, hash_body=False),
    )
