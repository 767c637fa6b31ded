"""Accuracy, published precision and recall per site platform, over real loopback HTTP.

Two worlds are crawled: the bundled world (server-rendered sites, which must stay exactly
right) and the platform world (one site per real PPID platform: Kemendagri app, KPU template,
WordPress download manager, Laravel, Inertia, opaque slugs, CSS tabs, Next.js, client-rendered
shells, DataTables, iframe previews, inline JSON, flipbooks, images, off-site hosts,
copy-paste). "Published" means found or stale: precision is the share of cells Pantau calls
published that the labels call published, recall the share of labelled-published cells Pantau
finds. Sites marked ``render: needed`` show their lists only after scripts run; without a
browser in the crawl they are reported apart and not held to the thresholds.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from core.checklist import load_checklist
from core.settings import CrawlSettings
from sample_world import PLATFORM_WORLD, SampleWorld
from scrapers.crawling.crawler import crawl_site
from scrapers.detection.detect import detect_site
from scrapers.detection.ownership import Owner
from tests.conftest import TODAY

pytestmark = pytest.mark.slow

SETTINGS = CrawlSettings(host_delay=0.0, retries=1, retry_backoff=0.05, connect_timeout=3,
                         read_timeout=5, page_timeout=10)
PUBLISHED = frozenset({"found", "stale"})
MIN_ACCURACY = 0.95
MIN_PUBLISHED_PRECISION = 0.95


@dataclass
class Score:
    """Cells compared for one group of sites."""

    cells: int = 0
    right: int = 0
    true_published: int = 0
    said_published: int = 0
    labelled_published: int = 0

    def add(self, expected: str, got: str) -> None:
        self.cells += 1
        self.right += expected == got
        self.said_published += got in PUBLISHED
        self.labelled_published += expected in PUBLISHED
        self.true_published += got in PUBLISHED and expected in PUBLISHED

    @property
    def accuracy(self) -> float:
        return self.right / self.cells if self.cells else 1.0

    @property
    def precision(self) -> float:
        return self.true_published / self.said_published if self.said_published else 1.0

    @property
    def recall(self) -> float:
        return self.true_published / self.labelled_published if self.labelled_published else 1.0

    def line(self, name: str) -> str:
        return (f"{name:28} {self.right:4}/{self.cells:<4} accuracy {self.accuracy:6.1%}  "
                f"published precision {self.precision:6.1%}  recall {self.recall:6.1%}")


@dataclass
class SiteResult:
    site_id: str
    platform: str
    render_needed: bool
    wrong: list[str]
    pairs: list[tuple[str, str]]


def render_options(renderer=None) -> dict:
    """crawl_site's rendering arguments: none at all (no browser) unless a renderer is given.

    Written against the crawler's signature so the test runs before and after rendering
    exists in it."""
    parameters = inspect.signature(crawl_site).parameters
    if "render" not in parameters:
        return {}
    if renderer is None:
        return {"render": "never"}
    return {"render": "auto", "renderer": renderer}


def crawl_world(world: SampleWorld, renderer=None) -> list[SiteResult]:
    checklist = load_checklist()
    options = render_options(renderer)
    rows = {row["id"]: row for row in world.registry()["agencies"]}
    owners = {agency_id: Owner.of(row["name"], row["url"], row["role"],
                                  rows[row["parent"]]["name"] if row["parent"] else "")
              for agency_id, row in rows.items()}

    def one(site_id: str) -> SiteResult:
        crawl = crawl_site(world.url(site_id), SETTINGS, verify_tls=False, **options)
        findings = {f.category_id: f for f in detect_site(crawl, checklist, TODAY, owners[site_id])}
        labels = world.labels(site_id)
        assert set(findings) == set(labels), site_id
        pairs = [(labels[c], findings[c].status) for c in labels]
        wrong = [f"{site_id}/{c}: expected {labels[c]}, got {findings[c].status} "
                 f"({findings[c].matched_rule or '-'}: {findings[c].evidence_url or '-'})"
                 for c in labels if labels[c] != findings[c].status]
        return SiteResult(site_id, world.platform(site_id), world.render_needed(site_id), wrong, pairs)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, world.sites))


@pytest.fixture(scope="module")
def platform_results():
    with SampleWorld(root=PLATFORM_WORLD, today=TODAY) as world:
        yield crawl_world(world)


@pytest.fixture(scope="module")
def bundled_results(sample_world):
    return crawl_world(sample_world)


def report(title: str, results: list[SiteResult]) -> Score:
    by_platform: dict[str, Score] = defaultdict(Score)
    total = Score()
    for result in results:
        for expected, got in result.pairs:
            by_platform[result.platform].add(expected, got)
            total.add(expected, got)
    print(f"\n{title}")
    for platform in sorted(by_platform):
        print("  " + by_platform[platform].line(platform))
    print("  " + total.line("ALL"))
    for result in results:
        for line in result.wrong:
            print("    WRONG", line)
    return total


def test_every_platform_of_the_issue_has_a_site():
    with SampleWorld(root=PLATFORM_WORLD, today=TODAY) as world:
        platforms = {world.platform(site_id) for site_id in world.sites}
    assert {
        "ppid-kemendagri", "kpu-template", "wordpress-download-manager", "laravel",
        "laravel-inertia", "opaque-slugs", "css-tabs-onepage", "nextjs", "vue-spa",
        "datatables-ajax", "iframe-preview", "inline-json", "flipbook", "images", "off-site",
        "copy-paste",
    } <= platforms


def test_server_rendered_sites_stay_exactly_right(bundled_results):
    plain = [r for r in bundled_results if not r.render_needed]
    total = report("Bundled world (server-rendered)", plain)
    assert total.accuracy == 1.0, [line for r in plain for line in r.wrong]
    # Without a browser its client-rendered site cannot be checked: unreachable, never missing.
    for result in bundled_results:
        if result.render_needed:
            assert {got for _, got in result.pairs} == {"unreachable"}, result.site_id


@pytest.mark.browser
def test_with_a_browser_the_bundled_world_stays_exactly_right(sample_world, renderer):
    results = crawl_world(sample_world, renderer)
    total = report("Bundled world, rendered where a page is a shell", results)
    assert total.accuracy == 1.0, [line for r in results for line in r.wrong]


def test_platform_sites_reach_the_thresholds(platform_results):
    plain = [r for r in platform_results if not r.render_needed]
    needs_browser = [r for r in platform_results if r.render_needed]
    total = report("Platform world, sites readable without a browser", plain)
    report("Platform world, render-needed sites crawled without a browser (not held to thresholds)",
           needs_browser)
    report("Platform world, all sites", platform_results)
    assert total.accuracy >= MIN_ACCURACY
    assert total.precision >= MIN_PUBLISHED_PRECISION


@pytest.mark.browser
def test_with_a_browser_every_platform_site_reaches_the_thresholds(request):
    if "render" not in inspect.signature(crawl_site).parameters:
        pytest.skip("the crawler cannot render pages yet (render-needed sites stay unscored)")
    renderer = request.getfixturevalue("renderer")
    with SampleWorld(root=PLATFORM_WORLD, today=TODAY) as world:
        results = crawl_world(world, renderer)
    total = report("Platform world, rendered where a page is a shell", results)
    assert total.accuracy >= MIN_ACCURACY
    assert total.precision >= MIN_PUBLISHED_PRECISION
