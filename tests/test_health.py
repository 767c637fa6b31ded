"""Site health (pure): a site that changed against one that removed its content."""

from __future__ import annotations

from core.settings import TrustSettings
from scrapers.detection.confirm import PriorFinding, PriorRun
from scrapers.detection.health import SiteCounts, assess, review, sharp_falls, site_counts
from scrapers.model import DocumentCheck, Finding, Page, SiteCrawl

SETTINGS = TrustSettings()
URLS = [f"http://dinas.test/f/{i}.pdf" for i in range(6)]
PRIOR = PriorRun(run_id=3, pages=10, documents=6, categories_found=6, platform="wordpress",
                 findings={f"c{i}": PriorFinding(f"c{i}", "found", evidence_url=u)
                           for i, u in enumerate(URLS)})


def test_a_sharp_fall_with_old_evidence_alive_is_a_site_change():
    counts = SiteCounts(pages=2, documents=0, categories_found=1, platform="wordpress")
    assert sharp_falls(PRIOR, counts, SETTINGS) == ("pages", "documents", "categories_found")
    health = assess(PRIOR, counts, {u: True for u in URLS}, SETTINGS)
    assert health.changed and health.alive_share == 1.0
    assert "6 dari 6 bukti lama masih dapat dibuka" in health.note
    assert "halaman turun tajam: 10 → 2" in health.note


def test_a_sharp_fall_with_old_evidence_dead_is_a_removal_not_a_site_change():
    counts = SiteCounts(pages=10, documents=1, categories_found=1, platform="wordpress")
    health = assess(PRIOR, counts, {u: u == URLS[0] for u in URLS}, SETTINGS)
    assert health.falls == ("documents", "categories_found") and not health.changed


def test_a_fall_while_pages_failed_is_a_passing_fault():
    counts = SiteCounts(pages=3, documents=0, categories_found=0, platform="wordpress",
                        failed_pages=1)
    health = assess(PRIOR, counts, {u: True for u in URLS}, SETTINGS)
    assert health.falls and not health.changed
    assert "1 halaman gagal dimuat" in health.note


def test_a_new_platform_is_a_site_change_and_small_sites_do_not_alarm():
    same = SiteCounts(pages=10, documents=6, categories_found=6, platform="laravel")
    assert assess(PRIOR, same, {}, SETTINGS).changed
    assert "platform berganti: wordpress → laravel" in assess(PRIOR, same, {}, SETTINGS).note
    tiny = PriorRun(run_id=1, pages=2, documents=2, categories_found=2)
    assert sharp_falls(tiny, SiteCounts(1, 0, 0, ""), SETTINGS) == ()
    assert not assess(None, same, {}, SETTINGS).changed


def test_review_holds_every_drop_of_a_changed_site():
    crawl = SiteCrawl("http://dinas.test/", True, platform="wordpress",
                      pages=[Page("http://dinas.test/", 200)])
    findings = [Finding(f"c{i}", "missing") for i in range(6)]
    assert site_counts(crawl, findings).categories_found == 0
    checks = {u: DocumentCheck(u, ok=True, status=200) for u in URLS}
    settled, health = review(PRIOR, crawl, findings, checks, SETTINGS)
    assert health.changed
    assert {(f.status, f.confirmed, f.held_reason) for f in settled} == {
        ("found", True, "evidence_live")}
    checks = {u: DocumentCheck(u, ok=i < 4, status=200) for i, u in enumerate(URLS)}
    settled, health = review(PRIOR, crawl, findings, checks, SETTINGS)
    assert health.changed and [f.held_reason for f in settled][-2:] == ["site_changed"] * 2
