"""Confirmation before a drop (pure): held, believed, or not believed because the old
evidence answers."""

from __future__ import annotations

from scrapers.detection.confirm import (
    EVIDENCE_LIVE,
    SITE_CHANGED,
    UNCONFIRMED,
    PriorFinding,
    PriorRun,
    drop_evidence,
    seen_alive,
    settle,
    urls_to_recheck,
)
from scrapers.model import DocumentCheck, Finding, Page, SiteCrawl

OLD = "http://dinas.test/files/dip.pdf"


def prior(status="found", checks=0, url=OLD) -> PriorRun:
    return PriorRun(run_id=1, findings={
        "dip": PriorFinding("dip", status, evidence_url=url, evidence_text="DIP 2026",
                            document_year=2026, drop_checks=checks),
        "profil": PriorFinding("profil", "missing"),
    })


def now(status: str, url: str | None = None) -> list[Finding]:
    return [Finding("dip", status, evidence_url=url), Finding("profil", "missing")]


def test_a_drop_whose_old_evidence_fails_its_first_recheck_keeps_the_published_status():
    [dip, profil] = settle(prior(), now("missing"), {OLD: False}, confirmations=2)
    assert (dip.status, dip.detector_status, dip.confirmed) == ("found", "missing", False)
    assert (dip.evidence_url, dip.document_year, dip.drop_checks) == (OLD, 2026, 1)
    assert dip.held_reason == UNCONFIRMED
    assert (profil.status, profil.confirmed) == ("missing", True)


def test_the_drop_counts_once_the_rechecks_reach_the_setting():
    [dip, _] = settle(prior(checks=1), now("missing"), {}, confirmations=2)
    assert (dip.status, dip.confirmed, dip.drop_checks, dip.held_reason) == ("missing", True, 2, None)
    [dip, _] = settle(prior(), now("broken", OLD), {OLD: False}, confirmations=1)
    assert (dip.status, dip.confirmed) == ("broken", True)
    [dip, _] = settle(prior(), now("missing"), {}, confirmations=0)
    assert dip.status == "missing"


def test_a_document_that_answers_again_is_never_reported_as_removed():
    [dip, _] = settle(prior(checks=1), now("broken", OLD), {OLD: True}, confirmations=2)
    assert (dip.status, dip.detector_status, dip.confirmed) == ("found", "broken", True)
    assert (dip.held_reason, dip.drop_checks) == (EVIDENCE_LIVE, 0)


def test_a_site_change_holds_drops_without_counting_them():
    [dip, _] = settle(prior(checks=1), now("missing"), {OLD: False}, confirmations=2,
                      site_changed=True)
    assert (dip.status, dip.confirmed, dip.drop_checks, dip.held_reason) == (
        "found", False, 1, SITE_CHANGED)


def test_stale_drops_too_and_other_moves_pass_through():
    [dip, _] = settle(prior("stale"), now("missing"), {}, confirmations=2)
    assert (dip.status, dip.detector_status, dip.confirmed) == ("stale", "missing", False)
    for status in ("found", "stale", "unreachable"):
        [dip, _] = settle(prior(), now(status), {}, confirmations=2)
        assert (dip.status, dip.confirmed, dip.held_reason) == (status, True, None)
    [dip, _] = settle(None, now("missing"), {}, confirmations=2)
    assert (dip.status, dip.confirmed) == ("missing", True)
    [dip, _] = settle(prior("missing"), now("missing"), {}, confirmations=2)
    assert (dip.status, dip.confirmed) == ("missing", True)


def test_what_is_rechecked_is_the_old_evidence_the_crawl_did_not_see_alive():
    crawl = SiteCrawl("http://dinas.test/", True, pages=[Page("http://dinas.test/", 200)],
                      documents={OLD: DocumentCheck(OLD, ok=False, status=503)})
    assert drop_evidence(prior(), now("broken", OLD)) == [OLD]
    assert urls_to_recheck(prior(), crawl, now("broken", OLD), sharp_fall=False) == [OLD]
    assert urls_to_recheck(prior(), crawl, now("found", OLD), sharp_fall=False) == []
    crawl.documents[OLD] = DocumentCheck(OLD, ok=True, status=200)
    assert seen_alive(crawl) == {OLD: True, "http://dinas.test/": True}
    assert urls_to_recheck(prior(), crawl, now("missing"), sharp_fall=True) == []
    assert urls_to_recheck(None, crawl, now("missing"), sharp_fall=True) == []


def test_a_first_sighting_in_a_crawl_cut_short_waits_for_the_next_run():
    from scrapers.detection.confirm import INCOMPLETE, cut_short

    [dip, profil] = settle(prior(), now("found", OLD), {}, confirmations=2, incomplete=True)
    assert (dip.confirmed, profil.confirmed) == (True, True)  # profil was missing before too
    [dip, _] = settle(None, now("missing"), {}, confirmations=2, incomplete=True)
    assert (dip.status, dip.confirmed, dip.held_reason) == ("missing", False, INCOMPLETE)
    [dip, _] = settle(None, now("missing"), {}, confirmations=2, incomplete=False)
    assert dip.confirmed
    page = Page("http://dinas.test/ppid", 503)
    assert cut_short(SiteCrawl("http://dinas.test/", True, pages=[page]), {})
    crawl = SiteCrawl("http://dinas.test/", True, pages=[Page("http://dinas.test/", 200)],
                      documents={OLD: DocumentCheck(OLD, ok=False, status=504)})
    assert cut_short(crawl, {})
    assert not cut_short(crawl, {OLD: DocumentCheck(OLD, ok=True, status=200)})


def test_a_document_that_failed_with_a_passing_fault_is_asked_again_and_detected_again():
    from scrapers.detection.confirm import patched_crawl, transient_failures

    gone = "http://dinas.test/files/gone.pdf"
    crawl = SiteCrawl("http://dinas.test/", True, documents={
        OLD: DocumentCheck(OLD, ok=False, status=503),
        gone: DocumentCheck(gone, ok=False, status=404)})
    findings = [Finding("dip", "broken", evidence_url=OLD),
                Finding("sop_ppid", "broken", evidence_url=gone)]
    assert transient_failures(crawl, findings) == [OLD]
    assert patched_crawl(crawl, {OLD: DocumentCheck(OLD, ok=False, status=503)}) is None
    patched = patched_crawl(crawl, {OLD: DocumentCheck(OLD, ok=True, status=200)})
    assert patched.documents[OLD].ok and not patched.documents[gone].ok
    assert not crawl.documents[OLD].ok  # the original crawl is left as it was
