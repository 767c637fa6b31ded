"""Confirmation before a drop: say a category disappeared only when sure (pure).

One timed-out request must not tell an OPD that its LKjIP is gone. When a category goes from
``found``/``stale`` (in the agency's last run in which its site was reachable) to ``missing``
or ``broken``, the evidence URL that was live last time is re-checked later in the same run
(``scrapers.crawling.recheck``) and again at the next run. Until ``drop_confirmations``
re-checks have failed, the finding keeps its published status and evidence with
``confirmed=False`` (the detector's verdict is kept in ``detector_status``); scores and
reminders follow the published status. A document whose old URL answers again is never
reported as removed: the finding stays published (``held_reason="evidence_live"``). While the
site-health check says the site changed (``scrapers.detection.health``), drops are held
without counting (``site_changed``).

A document that failed with a passing fault (5xx, timeout) during the crawl is asked again
later in the run too, even for a category never published before: when it answers, detection
runs again on the crawl with that answer (``transient_failures``, ``patched_crawl``), so a
first sighting is not reported ``broken`` because of one 503.

The flow wires it: ``urls_to_recheck`` + ``transient_failures`` → (I/O) → detection again
when a document answered → ``settle``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from scrapers.model import BROKEN, FOUND, MISSING, STALE, DocumentCheck, Finding, SiteCrawl

PUBLISHED = (FOUND, STALE)
DROPPED = (MISSING, BROKEN)

UNCONFIRMED = "unconfirmed"
"""Held: the old evidence failed fewer re-checks than ``drop_confirmations``."""
EVIDENCE_LIVE = "evidence_live"
"""Not believed: the old evidence URL still answers (the page or its listing failed)."""
SITE_CHANGED = "site_changed"
"""Held for review: the site changed (layout or platform), not necessarily its content."""
INCOMPLETE = "incomplete"
"""Not yet believed: a category first seen missing or broken in a crawl that passing faults
cut short (a page or a document answered 5xx or timed out, also when asked again)."""


@dataclass(frozen=True)
class PriorFinding:
    """A category's row in the agency's last run in which its site was reachable."""

    category_id: str
    status: str
    evidence_url: str | None = None
    evidence_text: str | None = None
    page_url: str | None = None
    document_year: int | None = None
    matched_rule: str | None = None
    confirmed: bool = True
    drop_checks: int = 0


@dataclass(frozen=True)
class PriorRun:
    """An agency's last known state: its last completed run with a reachable site."""

    run_id: int
    checked_at: datetime | None = None
    pages: int = 0
    documents: int = 0
    categories_found: int = 0
    """Categories the detector found (found or stale) in that run."""
    platform: str = ""
    findings: Mapping[str, PriorFinding] = field(default_factory=dict)

    def old_evidence(self) -> list[str]:
        """The evidence URLs of what was published (found or stale), in category order."""
        urls = [f.evidence_url for f in self.findings.values()
                if f.status in PUBLISHED and f.evidence_url]
        return list(dict.fromkeys(urls))


def is_drop(prior: PriorFinding | None, finding: Finding) -> bool:
    """A published category that the detector now finds missing or broken."""
    return prior is not None and prior.status in PUBLISHED and finding.status in DROPPED


def seen_alive(crawl: SiteCrawl) -> dict[str, bool]:
    """What this crawl already knows about URLs: documents verified ok, pages answered 200.
    Failures are left out: only a later re-check may confirm them."""
    alive = {url: True for url, check in crawl.documents.items() if check.ok}
    for page in crawl.pages:
        if 200 <= page.status < 300 and not page.error:
            alive[page.url] = True
            if page.final_url:
                alive[page.final_url] = True
    return alive


def drop_evidence(prior: PriorRun | None, findings: Iterable[Finding]) -> list[str]:
    """The old evidence URLs of this run's drops."""
    if prior is None:
        return []
    urls = [prior.findings[f.category_id].evidence_url for f in findings
            if is_drop(prior.findings.get(f.category_id), f)]
    return list(dict.fromkeys(u for u in urls if u))


def urls_to_recheck(prior: PriorRun | None, crawl: SiteCrawl, findings: Iterable[Finding],
                    *, sharp_fall: bool) -> list[str]:
    """What to re-check later in the run: the old evidence of every drop and, after a sharp
    fall (for the site-health check), all old evidence; minus what this crawl saw alive."""
    if prior is None:
        return []
    wanted = prior.old_evidence() if sharp_fall else drop_evidence(prior, findings)
    alive = seen_alive(crawl)
    return [u for u in wanted if not alive.get(u)]


def settle(prior: PriorRun | None, findings: Iterable[Finding], alive: Mapping[str, bool], *,
           confirmations: int, site_changed: bool = False,
           incomplete: bool = False) -> list[Finding]:
    """The findings to publish: drops held back or believed, as the module docstring says.

    ``alive`` maps URLs to whether they answered in this run (the crawl's own checks and the
    later re-checks); a URL not in it counts as failing. ``incomplete``: passing faults cut
    this crawl short, so a category missing or broken for the first time (not a drop: nothing
    was published) is shown unconfirmed, out of reminders, until the next crawl agrees."""
    settled = []
    for finding in findings:
        before = prior.findings.get(finding.category_id) if prior else None
        if not is_drop(before, finding):
            if (incomplete and finding.status in DROPPED and confirmations > 0
                    and not (before and before.status == finding.status)):
                finding = replace(finding, confirmed=False, held_reason=INCOMPLETE)
            settled.append(finding)
            continue
        if before.evidence_url and alive.get(before.evidence_url):
            settled.append(_held(before, finding, EVIDENCE_LIVE, confirmed=True, checks=0))
        elif site_changed:
            settled.append(_held(before, finding, SITE_CHANGED, confirmed=False,
                                 checks=before.drop_checks))
        else:
            checks = before.drop_checks + 1
            if checks >= confirmations:
                settled.append(replace(finding, drop_checks=checks))
            else:
                settled.append(_held(before, finding, UNCONFIRMED, confirmed=False, checks=checks))
    return settled


def _held(before: PriorFinding, finding: Finding, reason: str, *, confirmed: bool,
          checks: int) -> Finding:
    """The published finding kept, with the detector's verdict beside it."""
    return Finding(
        category_id=finding.category_id, status=before.status,
        evidence_url=before.evidence_url, evidence_text=before.evidence_text,
        page_url=before.page_url, document_year=before.document_year,
        matched_rule=before.matched_rule, detector_status=finding.status,
        confirmed=confirmed, drop_checks=checks, held_reason=reason,
    )


TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def cut_short(crawl: SiteCrawl, rechecks: Mapping[str, DocumentCheck]) -> bool:
    """Whether passing faults left this crawl incomplete: a page that answered 5xx/429 or not
    at all, or a document that failed so and failed again when re-checked."""
    if any(p.status == 0 or p.status in TRANSIENT_STATUSES for p in crawl.pages):
        return True
    for url, check in crawl.documents.items():
        if check.ok or not (check.status is None or check.status in TRANSIENT_STATUSES):
            continue
        again = rechecks.get(url)
        if again is None or (not again.ok and (again.status is None
                                               or again.status in TRANSIENT_STATUSES)):
            return True
    return False


def transient_failures(crawl: SiteCrawl, findings: Iterable[Finding]) -> list[str]:
    """Documents that made a category ``broken`` with a passing fault (5xx, 429, a timeout
    or a dropped connection): worth asking again later in the run before anything is
    published, even for a category seen for the first time."""
    urls = []
    for finding in findings:
        check = crawl.documents.get(finding.evidence_url or "")
        if finding.status == BROKEN and check is not None and not check.ok and (
                check.status is None or check.status in TRANSIENT_STATUSES):
            urls.append(check.url)
    return list(dict.fromkeys(urls))


def patched_crawl(crawl: SiteCrawl, rechecks: Mapping[str, DocumentCheck]) -> SiteCrawl | None:
    """The crawl with the documents that answered on a later re-check put back (None when
    none did): detection runs again on it."""
    fixed = {url: check for url, check in rechecks.items()
             if check.ok and url in crawl.documents and not crawl.documents[url].ok}
    if not fixed:
        return None
    return replace(crawl, documents={**crawl.documents, **fixed})
