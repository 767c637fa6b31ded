"""Crawler + detection over the whole sample world, over real loopback HTTP, against labels."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from core.checklist import load_checklist
from core.registry import load_registry
from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.detection.detect import detect_site
from scrapers.detection.ownership import Owner
from tests.conftest import TODAY

pytestmark = pytest.mark.slow

SETTINGS = CrawlSettings(host_delay=0.0, retries=1, retry_backoff=0.05, connect_timeout=3,
                         read_timeout=5, page_timeout=10)


def crawl_and_detect(agency, checklist, parent_name=""):
    crawl = crawl_site(agency.url, SETTINGS, verify_tls=not agency.insecure_tls)
    owner = Owner.of(agency.name, agency.url, agency.role, parent_name)
    return agency.id, crawl, {f.category_id: f for f in detect_site(crawl, checklist, TODAY, owner)}


@pytest.fixture(scope="module")
def world_results(sample_world, tmp_path_factory):
    registry = load_registry(sample_world.write_registry(tmp_path_factory.mktemp("r") / "r.yaml"))
    checklist = load_checklist()
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(
            lambda a: crawl_and_detect(a, checklist, registry.get(a.parent).name if a.parent else ""),
            registry))
    return {agency_id: (crawl, findings) for agency_id, crawl, findings in results}


def test_at_least_95_percent_of_statuses_match_the_labels(sample_world, world_results):
    total, wrong = 0, []
    for agency_id, (_, findings) in sorted(world_results.items()):
        labels = sample_world.labels(agency_id)
        assert set(findings) == set(labels), f"{agency_id}: findings and labels cover other ids"
        for category_id, expected in labels.items():
            total += 1
            got = findings[category_id]
            if got.status != expected:
                wrong.append(f"{agency_id}/{category_id}: expected {expected}, got {got.status} "
                             f"({got.matched_rule or '-'}: {got.evidence_url or '-'})")
    accuracy = 1 - len(wrong) / total
    print(f"\n{total - len(wrong)}/{total} statuses match the labels ({accuracy:.1%})")
    for line in wrong:
        print("  WRONG", line)
    assert accuracy >= 0.95, "\n".join(wrong)


def test_every_status_occurs_in_the_world(world_results):
    statuses = {f.status for _, findings in world_results.values() for f in findings.values()}
    assert statuses == {"found", "stale", "broken", "missing", "unreachable"}


def test_found_findings_carry_clickable_evidence(world_results):
    for agency_id, (_, findings) in world_results.items():
        for finding in findings.values():
            if finding.status in ("found", "stale", "broken"):
                assert finding.evidence_url, f"{agency_id}/{finding.category_id} has no evidence URL"
                assert finding.matched_rule, f"{agency_id}/{finding.category_id} has no rule"


def test_a_bad_certificate_is_unreachable_unless_the_agency_accepts_it(sample_world, tmp_path):
    registry = load_registry(sample_world.write_registry(tmp_path / "r.yaml"))
    insecure = [a for a in registry if a.insecure_tls]
    assert insecure, "the sample world has a self-signed site"
    crawl = crawl_site(insecure[0].url, SETTINGS, verify_tls=True)
    assert not crawl.reachable
    assert "certificate" in (crawl.error or "").lower() or "tls" in (crawl.error or "").lower()
