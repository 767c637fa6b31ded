"""Site health: tell a site that changed (new template, new platform) from one that removed
its content (pure).

Each run of a site is compared with its previous reachable run: pages reached, documents
verified, categories found, the platform detected, and the share of the old evidence URLs
that still answer. A sharp fall while most old evidence still answers, or a new platform,
means the site changed, not its publications: the run is marked ``situs berubah`` and the
agency's drops and reminders are held for review. A fall while pages of this crawl failed
(5xx, timeouts) is a passing fault, not a change: the drops go through confirmation. Like Spidermon's "days without items"
alarm in Querido Diário, it flags the scraper's blind spot rather than blaming the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.settings import TrustSettings
from scrapers.detection.confirm import (
    PUBLISHED,
    PriorRun,
    cut_short,
    seen_alive,
    settle,
    transient_failures,
    urls_to_recheck,
)
from scrapers.model import DocumentCheck, Finding, SiteCrawl


@dataclass(frozen=True)
class SiteCounts:
    """What one crawl reached."""

    pages: int
    documents: int
    categories_found: int
    platform: str
    failed_pages: int = 0
    """Pages that answered 5xx or not at all: a fall they explain is a passing fault."""


@dataclass(frozen=True)
class SiteHealth:
    """The comparison of one run with the site's previous reachable run."""

    counts: SiteCounts
    falls: tuple[str, ...] = ()
    """The measures that fell sharply (``pages``, ``documents``, ``categories_found``)."""
    evidence_checked: int = 0
    """Old evidence URLs whose answer is known in this run."""
    evidence_alive: int = 0
    platform_before: str = ""
    changed: bool = False
    """``situs berubah``: drops and reminders of this agency are held."""
    note: str = ""
    """What was seen, in Indonesian, for the health page."""

    @property
    def alive_share(self) -> float | None:
        """The share of the old evidence checked that still answers (None: none checked)."""
        return self.evidence_alive / self.evidence_checked if self.evidence_checked else None


MEASURE_LABELS = {"pages": "halaman", "documents": "dokumen", "categories_found": "kategori ditemukan"}


def site_counts(crawl: SiteCrawl, findings: Iterable[Finding]) -> SiteCounts:
    """Pages, documents, categories the detector found, and the platform of one crawl."""
    found = sum(1 for f in findings if (f.detector_status or f.status) in PUBLISHED)
    failed = sum(1 for p in crawl.pages if p.status == 0 or p.status >= 500)
    return SiteCounts(pages=len(crawl.pages), documents=len(crawl.documents),
                      categories_found=found, platform=crawl.platform or "", failed_pages=failed)


def sharp_falls(prior: PriorRun | None, counts: SiteCounts, settings: TrustSettings) -> tuple[str, ...]:
    """The measures that fell by ``site_change_fall`` or more from a baseline of at least
    ``site_change_min_baseline``."""
    if prior is None:
        return ()
    before = {"pages": prior.pages, "documents": prior.documents,
              "categories_found": prior.categories_found}
    falls = []
    for name, old in before.items():
        new = getattr(counts, name)
        if old >= settings.site_change_min_baseline and new <= old * (1 - settings.site_change_fall):
            falls.append(name)
    return tuple(falls)


def platform_changed(prior: PriorRun | None, counts: SiteCounts) -> bool:
    """Whether the platform detected differs from the previous run's (both known)."""
    return bool(prior and prior.platform and counts.platform and prior.platform != counts.platform)


def assess(prior: PriorRun | None, counts: SiteCounts, alive: Mapping[str, bool],
           settings: TrustSettings) -> SiteHealth:
    """Compare with the previous run; ``alive`` says which URLs answered in this run."""
    if prior is None:
        return SiteHealth(counts=counts, note="putaran pertama situs ini")
    falls = sharp_falls(prior, counts, settings)
    old = prior.old_evidence()
    known = [u for u in old if u in alive]
    answered = sum(1 for u in known if alive[u])
    new_platform = platform_changed(prior, counts)
    share = answered / len(known) if known else None
    changed = new_platform or bool(falls and not counts.failed_pages and share is not None
                                   and share >= settings.site_change_alive_share)
    return SiteHealth(
        counts=counts, falls=falls, evidence_checked=len(known), evidence_alive=answered,
        platform_before=prior.platform, changed=changed,
        note=_note(prior, counts, falls, len(known), answered, new_platform),
    )


def _note(prior: PriorRun, counts: SiteCounts, falls: tuple[str, ...], checked: int,
          answered: int, new_platform: bool) -> str:
    parts = []
    if new_platform:
        parts.append(f"platform berganti: {prior.platform} → {counts.platform}")
    for name in falls:
        parts.append(f"{MEASURE_LABELS[name]} turun tajam: {getattr(prior, name)} → "
                     f"{getattr(counts, name)}")
    if falls and counts.failed_pages:
        parts.append(f"{counts.failed_pages} halaman gagal dimuat (gangguan sementara)")
    if checked:
        parts.append(f"{answered} dari {checked} bukti lama masih dapat dibuka")
    return "; ".join(parts) or "stabil"


def recheck_plan(prior: PriorRun | None, crawl: SiteCrawl, findings: list[Finding],
                 settings: TrustSettings) -> list[str]:
    """The old evidence URLs to re-check later in this run (for the drops and, after a sharp
    fall, for the share of old evidence still answering)."""
    falls = sharp_falls(prior, site_counts(crawl, findings), settings)
    urls = urls_to_recheck(prior, crawl, findings, sharp_fall=bool(falls))
    return list(dict.fromkeys([*urls, *transient_failures(crawl, findings)]))


def review(prior: PriorRun | None, crawl: SiteCrawl, findings: list[Finding],
           rechecks: Mapping[str, DocumentCheck], settings: TrustSettings
           ) -> tuple[list[Finding], SiteHealth]:
    """The findings to publish and the site's health, from the detector's findings and the
    re-checks made later in the run."""
    alive = seen_alive(crawl)
    alive.update({url: check.ok for url, check in rechecks.items()})
    health = assess(prior, site_counts(crawl, findings), alive, settings)
    settled = settle(prior, findings, alive, confirmations=settings.drop_confirmations,
                     site_changed=health.changed, incomplete=cut_short(crawl, rechecks))
    return settled, health
