"""The evidence bundle of a finding: what answered at its evidence URL, kept with the run (pure).

For every finding with evidence (``found``, ``stale``, ``broken``) a reviewer and the OPD must
see the same thing: the URL chain followed (the page that linked the evidence, then every
redirect hop to the final URL), the HTTP status, content type and size of the answer, and the
SHA-256 of its body. The crawl already holds all of it (``Page`` and ``DocumentCheck`` keep
their redirects and body hash, ``scrapers.crawling``); :class:`EvidenceIndex` looks the
evidence URL up among one crawl's pages, documents and later re-checks.

Two hashes. ``body_sha256`` is the SHA-256 of the body bytes read: documents are only
probed (``document_probe_bytes``) and a page body stops at ``max_page_bytes``, and then
``sha256_bytes`` says how many first bytes it covers. ``sha256`` is the hash of the evidence
as Pantau judged it, the one reviews compare (an override lapses when it changes): for a
document, its body hash; for an HTML page, :func:`page_fingerprint`, the hash of what
detection read on it (title, headings, the links of its content with their text, its text
when it has nothing else), because the raw HTML of a page changes on every visit on many PPID
sites (a visitor counter, today's date in the header, a script token) while what it publishes
does not. A 304 answer (or a smart recrawl's reuse) keeps the previous run's page and check,
so content that did not change keeps both hashes from run to run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.vocabulary import WITH_EVIDENCE
from scrapers.model import DocumentCheck, Page, SiteCrawl
from scrapers.urls import normalize_url


@dataclass(frozen=True)
class EvidenceBundle:
    """What answered at one finding's evidence URL in one run."""

    chain: list[str] = field(default_factory=list)
    """The linking page, the evidence URL, every redirect hop, the final URL (no repeats)."""
    status_code: int | None = None
    content_type: str | None = None
    bytes: int | None = None
    """The size of the evidence (the whole file's, from the headers, when it was probed)."""
    sha256: str | None = None
    """The evidence's hash (see the module docstring): a document's body hash, an HTML page's
    :func:`page_fingerprint`."""
    sha256_bytes: int | None = None
    """How many first bytes ``body_sha256`` covers when that is not the whole body; None: all."""
    body_sha256: str | None = None
    """SHA-256 of the body bytes read, as the server sent them (decoded)."""
    from_cache: bool = False
    """The server answered 304: unchanged since the run the status, size and hash come from."""


class EvidenceIndex:
    """One crawl's answers by URL (pages, documents, re-checks of old evidence)."""

    def __init__(self, crawl: SiteCrawl | None,
                 rechecks: Mapping[str, DocumentCheck] | None = None) -> None:
        self._answers: dict[str, Page | DocumentCheck] = {}
        for check in (rechecks or {}).values():
            self._add(check.url, check)
        if crawl is not None:
            for page in crawl.pages:
                for url in (page.url, page.final_url):
                    self._add(url, page, first=False)
            for url, check in crawl.documents.items():
                for key in (url, check.url):
                    self._add(key, check, first=False)

    def _add(self, url: str | None, answer: Page | DocumentCheck, first: bool = True) -> None:
        """The crawl's own answer wins over a re-check (``first=False`` replaces): the
        re-check of a page reads only its first bytes, which would hash differently."""
        if not url:
            return
        key = normalize_url(url) or url
        if first:
            self._answers.setdefault(key, answer)
        else:
            self._answers[key] = answer

    def answer(self, url: str) -> Page | DocumentCheck | None:
        """The crawl's answer for ``url`` (a page, a document check or a re-check), if any."""
        return self._answers.get(normalize_url(url) or url)

    def bundle(self, status: str, evidence_url: str | None,
               page_url: str | None = None) -> EvidenceBundle | None:
        """The bundle of a finding with ``status`` and evidence; None when it has none."""
        if status not in WITH_EVIDENCE or not evidence_url:
            return None
        answer = self.answer(evidence_url)
        chain = [page_url] if page_url else []
        if answer is None:  # a link the crawl did not follow (an image, beyond the limits)
            return EvidenceBundle(chain=_without_repeats([*chain, evidence_url]))
        # No final URL after redirects: the chain gave up (the cap), its last hop is the end.
        final = [answer.final_url] if answer.final_url else []
        chain += [evidence_url, *answer.redirects, *final]
        return EvidenceBundle(
            chain=_without_repeats(chain),
            status_code=answer.status or None,
            content_type=answer.content_type or None,
            bytes=_size(answer),
            sha256=_evidence_hash(answer),
            sha256_bytes=None if answer.sha256_whole else answer.sha256_bytes,
            body_sha256=answer.sha256,
            from_cache=answer.from_cache,
        )


def page_fingerprint(page: Page) -> str:
    """SHA-256 of an HTML page as detection read it: title, first heading, headings, the links
    of its content (not its menus) with their text, its text-only lead, and whether it said it
    has nothing yet or is not public. Stable when only a counter, a date or a token in the
    HTML changed; changed when what the page shows a reader changed."""
    read = {
        "title": page.title, "h1": page.h1, "headings": page.headings,
        "links": [[link.url, link.text, link.media] for link in page.links if not link.in_nav],
        "lead": page.lead, "placeholder": page.placeholder, "not_public": page.not_public,
    }
    text = json.dumps(read, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _evidence_hash(answer: Page | DocumentCheck) -> str | None:
    if isinstance(answer, DocumentCheck):
        return answer.sha256  # a document's bytes
    if not (200 <= answer.status < 300 or answer.from_cache):
        return None  # an error page is not evidence of anything but its status
    return page_fingerprint(answer)


def _size(answer: Page | DocumentCheck) -> int | None:
    if isinstance(answer, DocumentCheck):
        return answer.bytes
    if answer.from_cache or not answer.bytes:  # a 304 transfers nothing: the size hashed then
        return answer.sha256_bytes if answer.sha256_whole else (answer.bytes or None)
    return answer.bytes


def _without_repeats(urls: list[str]) -> list[str]:
    """The chain without a URL repeating the one before it (normalised)."""
    chain: list[str] = []
    for url in urls:
        if not chain or (normalize_url(url) or url) != (normalize_url(chain[-1]) or chain[-1]):
            chain.append(url)
    return chain
