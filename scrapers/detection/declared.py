"""Whether a declared URL shows its category: pure functions over what its fetch brought back.

An OPD declares "category C is published at URL U" (the declarations file or the dashboard
form). Each crawl fetches U like a one-page crawl of it (``scrapers.crawling.declared``: the
page and the documents it links, or the document itself), and this module runs the ordinary
detection on that small crawl **for category C only**: a page listing C's document, C's own
category page, or a document whose name says C confirms the declaration; anything else does
not, with the reason in Indonesian (shown as "belum terverifikasi" and sent to review).

A confirmed declaration lifts the category's finding to what the declared URL shows (``found``,
or ``stale`` when its newest document is out of date) with ``status_source`` ``declared``;
the detector's own status is kept beside it. A declaration never lowers a finding, and never
touches an agency whose site was unreachable in the run (unknown stays unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from core.checklist import Checklist
from core.vocabulary import SOURCE_DECLARED
from scrapers.detection.detect import detect_site
from scrapers.detection.doctypes import document_kind
from scrapers.detection.ownership import Owner
from scrapers.model import BROKEN, FOUND, STALE, UNREACHABLE, Finding, Link, Page, SiteCrawl

RANK = {FOUND: 2, STALE: 1}
"""How much a status publishes: a declaration only ever raises a finding."""

ADDRESS_WORDS = {
    "private": "alamat privat",
    "loopback": "alamat loopback",
    "link-local": "alamat link-local",
    "multicast": "alamat multicast",
    "unspecified": "alamat tidak sah",
    "reserved": "alamat khusus (reserved)",
}
"""The address guard's classes (``scrapers.crawling.guard``) as the reason names them."""

NOT_ALLOWED = "alamat tidak diizinkan"
UNREACHABLE_SITE = "situs badan publik tidak terjangkau pada putaran ini"
NOT_NAMED_PAGE = "halaman tidak menyebut kategori ini"
NOT_NAMED_DOCUMENT = "nama dokumen tidak menyebut kategori ini"
PLACEHOLDER = "halaman menyatakan belum ada data"
ROBOTS = "diblokir robots.txt"


@dataclass(frozen=True)
class DeclaredUrl:
    """One open declaration the crawl checks."""

    declaration_id: int
    agency_id: str
    category_id: str
    url: str


@dataclass
class DeclarationCheck:
    """What one crawl found at one declared URL (a ``declaration_checks`` row)."""

    declaration_id: int
    agency_id: str
    category_id: str
    url: str
    confirmed: bool
    reason: str = ""
    """Why it is not confirmed (Indonesian), or what confirmed it."""
    status_code: int | None = None
    content_type: str = ""
    bytes: int | None = None
    sha256: str | None = None
    checked_at: datetime | None = None
    finding: Finding | None = None
    """The finding the declared URL gives (``found``/``stale``) when confirmed."""
    crawl: SiteCrawl | None = field(default=None, repr=False)
    """The one-page crawl of the declared URL (its answers give the finding's evidence
    bundle); not stored as such."""


@dataclass
class DeclaredFetch:
    """What fetching one declared URL brought back: a one-page crawl of it, or why it was
    not fetched at all (``refusal``: a host or address the agency may not declare)."""

    declared: DeclaredUrl
    crawl: SiteCrawl | None = None
    refusal: str = ""


def confirm_fetched(fetches: list[DeclaredFetch], checklist: Checklist, today: date,
                    owner: Owner | None = None) -> list[DeclarationCheck]:
    """Each fetched declaration confirmed or not (pure)."""
    checks = []
    for fetched in fetches:
        if fetched.refusal or fetched.crawl is None:
            checks.append(refused_check(fetched.declared, fetched.refusal or UNREACHABLE_SITE))
        else:
            checks.append(confirm_declaration(fetched.declared, fetched.crawl, checklist, today,
                                              owner))
    return checks


def refused_check(declared: DeclaredUrl, reason: str) -> DeclarationCheck:
    """A declaration not fetched (or not confirmed before any fetch), with the reason."""
    return DeclarationCheck(declared.declaration_id, declared.agency_id, declared.category_id,
                            declared.url, confirmed=False, reason=reason,
                            checked_at=datetime.now(UTC))


def address_reason(error: str) -> str | None:
    """``alamat tidak diizinkan: alamat privat`` for an address-guard refusal, else None."""
    match = re.search(r"address refused: .* is ([a-z-]+)", error or "")
    if match is None:
        if (error or "").startswith("address refused"):
            return f"{NOT_ALLOWED}: bukan alamat http(s)"
        return None
    return f"{NOT_ALLOWED}: {ADDRESS_WORDS.get(match.group(1), match.group(1))}"


def fault_reason(error: str | None, notes: list[str]) -> str:
    """Why the declared URL could not be read, in Indonesian (keeping the technical cause)."""
    error = error or ""
    if "robots.txt" in error and ("disallow-all" in error or "unreachable" in error):
        return f"robots.txt tidak dapat dibaca, dianggap melarang semua ({error})"
    if any("robots.txt does not allow" in note for note in notes) and "robots" in error.lower():
        return ROBOTS
    if (reason := address_reason(error)) is not None:
        return reason
    lowered = error.lower()
    if "robots.txt" in lowered:
        return ROBOTS if "disallow" in lowered else f"robots.txt tidak dapat dibaca ({error})"
    if (status := re.search(r"http (\d{3})", lowered)) is not None:
        return f"alamat menjawab {status.group(1)}"
    if "redirect refused" in lowered or "redirect" in lowered and "off-site" in lowered:
        return f"alamat dialihkan ke situs lain ({error})"
    if "timeout" in lowered or "timed out" in lowered:
        return f"waktu habis saat membuka alamat ({error})"
    if "dns" in lowered or "name or service" in lowered:
        return f"nama domain tidak ditemukan ({error})"
    if "refused" in lowered:
        return "koneksi ditolak"
    if "not public" in lowered or "log-in" in lowered:
        return f"alamat tidak publik: perlu masuk (login) ({error})"
    return f"alamat tidak dapat dibuka ({error or 'tanpa jawaban'})"


def confirm_declaration(declared: DeclaredUrl, crawl: SiteCrawl, checklist: Checklist,
                        today: date, owner: Owner | None = None) -> DeclarationCheck:
    """Run detection for the declaration's category only on the crawl of its URL."""
    check = refused_check(declared, "")
    check.crawl = crawl
    _answer(check, crawl)
    if declared.category_id not in checklist:
        check.reason = "kategori tidak ada dalam daftar periksa"
        return check
    if not crawl.reachable:
        check.reason = fault_reason(crawl.error, crawl.notes)
        return check
    start = crawl.pages[0] if crawl.pages else None
    if start is not None and (start.status >= 400 or start.status == 0) and not crawl.documents:
        check.reason = (f"alamat menjawab {start.status}" if start.status
                        else fault_reason(start.error, crawl.notes))
        if start.not_public:
            check.reason = "alamat tidak publik: mengarah ke halaman masuk (login)"
        return check
    single = Checklist((checklist.get(declared.category_id),), checklist.common_exclude)
    finding = detect_site(_document_as_linked(crawl, declared.url), single, today, owner)[0]
    if finding.status in RANK:
        check.confirmed = True
        check.reason = _confirmed_reason(finding)
        check.finding = replace(finding, status_source=SOURCE_DECLARED,
                                declaration_id=declared.declaration_id)
        return check
    check.reason = _unconfirmed_reason(finding, crawl, declared.url)
    return check


def _document_as_linked(crawl: SiteCrawl, url: str) -> SiteCrawl:
    """A declared document (no page, only its check) as a bare link to it on a page at its own
    URL: detection then reads it like an "Unduh" link, by its file name or, when that names
    nothing, by its first page."""
    if crawl.pages or not crawl.documents:
        return crawl
    link = Link(url=next(iter(crawl.documents)))
    page = Page(url=url, status=200, final_url=url, links=[link])
    return replace(crawl, pages=[page])


def _answer(check: DeclarationCheck, crawl: SiteCrawl) -> None:
    """The declared URL's own answer: its page, or the document itself."""
    start = crawl.pages[0] if crawl.pages else None
    document = crawl.documents.get(check.url) or next(iter(crawl.documents.values()), None)
    if start is not None and start.url == check.url:
        check.status_code = start.status or None
        check.content_type = start.content_type
        check.bytes = start.bytes or None
        check.sha256 = start.sha256
    elif document is not None:
        check.status_code = document.status
        check.content_type = document.content_type
        check.bytes = document.bytes
        check.sha256 = document.sha256
    check.checked_at = crawl.finished_at or datetime.now(UTC)


def _confirmed_reason(finding: Finding) -> str:
    where = finding.evidence_text or finding.evidence_url or ""
    if finding.status == STALE:
        year = f" (tahun {finding.document_year})" if finding.document_year else ""
        return f"ditemukan, tetapi kedaluwarsa{year}: {where}"[:300]
    return f"ditemukan: {where}"[:300]


def _unconfirmed_reason(finding: Finding, crawl: SiteCrawl, url: str) -> str:
    rule = finding.matched_rule or ""
    if finding.status == BROKEN:
        cause = rule.split("; broken: ", 1)[1] if "; broken: " in rule else ""
        if cause:
            return f"bukti yang ditunjuk tidak dapat dibuka ({cause}): {finding.evidence_url}"[:300]
        return ("halaman hanya menautkan ke halaman lain untuk kategori ini; tunjuk halaman itu "
                f"langsung: {finding.evidence_url}")[:300]
    if "; rejected: " in rule:
        return f"dokumen milik badan publik lain ({rule.split('; rejected: ', 1)[1]})"[:300]
    page = crawl.pages[0] if crawl.pages else None
    if page is not None and page.placeholder:
        return PLACEHOLDER
    if page is None or document_kind(url):
        return NOT_NAMED_DOCUMENT
    return NOT_NAMED_PAGE


def apply_declarations(findings: list[Finding], checks: list[DeclarationCheck]) -> list[Finding]:
    """The findings with each confirmed declaration applied: a category whose declared URL
    shows more than the crawl found (``found`` over ``stale``/``missing``/``broken``) takes
    the declared evidence, ``status_source`` ``declared`` and the detector's status kept.
    Unreachable findings are left alone; a declaration never lowers a finding."""
    confirmed = {c.category_id: c.finding for c in checks if c.confirmed and c.finding}
    result = []
    for finding in findings:
        declared = confirmed.get(finding.category_id)
        if (declared is None or finding.status == UNREACHABLE
                or RANK.get(declared.status, 0) <= RANK.get(finding.status, 0)):
            result.append(finding)
            continue
        result.append(replace(declared, detector_status=finding.detector_status or finding.status,
                              confirmed=True, drop_checks=0, held_reason=None))
    return result


def unreachable_checks(declared: list[DeclaredUrl]) -> list[DeclarationCheck]:
    """The checks of an agency whose site was unreachable: not fetched, checked next run."""
    return [refused_check(d, UNREACHABLE_SITE) for d in declared]

