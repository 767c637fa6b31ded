"""Reviews in the warehouse: confirm, override (effective status, provenance, score), revoke,
the crawl carrying overrides into a new run or letting them lapse, the analyst views, and two
reviewers saving the same finding at once — on real DuckDB files."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from warehouse import db, queries, reviews
from warehouse.load import write_run

WIB = ZoneInfo("Asia/Jakarta")
AT = datetime(2026, 12, 1, 10, 0, tzinfo=WIB)


def write(con, record) -> int:
    """A run written as the crawl writes it: overrides in force carried, lapses stored."""
    carried = reviews.plan_run(con, record, at=AT)
    return write_run(con, carried.record, after_insert=carried.store)


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "pantau.duckdb"
    cats = factories.categories(4)
    dinkes, dishub = factories.agency("dinkes"), factories.agency("dishub")
    con = db.connect(path)
    record = factories.run(cats, {
        dinkes: {"c0": "found", "c1": "missing", "c2": "missing", "c3": "found"},
        dishub: {"c0": "found", "c1": "found", "c2": "found", "c3": "found"},
    }, when=datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    write(con, record)
    yield con, path, cats, dinkes, dishub
    con.close()


def latest(con, agency_id, category_id):
    return con.execute("SELECT status, status_source, detector_status FROM latest_findings "
                       "WHERE agency_id = ? AND category_id = ?", [agency_id, category_id]).fetchall()[0]


def score(con, agency_id):
    return con.execute("SELECT score, band FROM latest_scores WHERE agency_id = ?",
                       [agency_id]).fetchall()[0]


def override(con, status="found", reason="dokumen hanya untuk pengguna yang masuk",
             reviewer="budi", category="c1", expected_review_id=None, run_id=1):
    return reviews.override(con, agency_id="dinkes", category_id=category, status=status,
                            reason=reason, expected_run_id=run_id,
                            expected_review_id=expected_review_id, reviewer=reviewer, at=AT)


def test_override_is_the_effective_status_with_provenance_and_rescores(setup):
    con, *_ = setup
    assert score(con, "dinkes") == (50.0, "Kurang Informatif")
    review_id = override(con)
    assert latest(con, "dinkes", "c1") == ("found", "override", "missing")
    assert score(con, "dinkes") == (75.0, "Cukup Informatif")
    row = con.execute("SELECT kind, status, replaced_status, detector_status, reason, reviewer, "
                      "created_at FROM reviews WHERE id = ?", [review_id]).fetchall()[0]
    assert row[:6] == ("override", "found", "missing", "missing",
                       "dokumen hanya untuk pengguna yang masuk", "budi")
    assert row[6].astimezone(UTC) == AT.astimezone(UTC)
    actions = [r["action"] for r in queries.records(con, "audit_log", agency_id="dinkes", limit=10)]
    assert actions == ["rescore", "override"]
    trail = queries.records(con, "audit_log", agency_id="dinkes", limit=10)
    assert '"+07:00' in trail[1]["after"] or "+07:00" in trail[1]["after"]
    active = queries.records(con, "active_overrides")
    assert [(r["agency_id"], r["category_id"], r["status"], r["applied"]) for r in active] == [
        ("dinkes", "c1", "found", True)]
    assert [r["kind"] for r in queries.records(con, "open_reviews")] == ["override"]


def test_override_refuses_bad_input_and_stores_nothing(setup):
    con, *_ = setup
    for status, reason in [("found", ""), ("found", "x" * 501), ("unreachable", "alasan"),
                           ("missing", "sama dengan status"), ("found", "a\x00b")]:
        with pytest.raises(reviews.ReviewRefused):
            override(con, status=status, reason=reason)
    assert con.execute("SELECT count(*) FROM reviews").fetchall() == [(0,)]
    assert latest(con, "dinkes", "c1") == ("missing", "crawler", "missing")


def test_revoke_restores_what_the_run_found(setup):
    con, *_ = setup
    review_id = override(con)
    reviews.revoke(con, review_id=review_id, expected_version=1, reviewer="sari", at=AT)
    assert latest(con, "dinkes", "c1") == ("missing", "crawler", "missing")
    assert score(con, "dinkes") == (50.0, "Kurang Informatif")
    assert queries.records(con, "active_overrides") == []
    state = con.execute("SELECT state, revoked_by FROM review_history").fetchall()
    assert state == [("revoked", "pengguna:sari")]
    with pytest.raises(reviews.ReviewConflict):  # a second revoke of the same version
        reviews.revoke(con, review_id=review_id, expected_version=1, reviewer="budi", at=AT)


def test_confirm_marks_the_finding_and_a_stale_page_is_told(setup):
    con, *_ = setup
    review_id = reviews.confirm(con, agency_id="dinkes", category_id="c0", expected_run_id=1,
                                expected_review_id=None, reviewer="budi", at=AT)
    row = con.execute("SELECT review_kind, review_id, status_source FROM latest_finding_reviews "
                      "WHERE agency_id = 'dinkes' AND category_id = 'c0'").fetchall()
    assert row == [("confirm", review_id, "crawler")]
    with pytest.raises(reviews.ReviewConflict, match="budi"):  # drawn before the confirmation
        reviews.confirm(con, agency_id="dinkes", category_id="c0", expected_run_id=1,
                        expected_review_id=None, reviewer="sari", at=AT)
    conflict = queries.records(con, "audit_log", agency_id="dinkes", limit=1)[0]
    assert conflict["action"] == "review_conflict" and conflict["actor"] == "pengguna:sari"


def test_two_reviewers_saving_at_once_one_wins_the_other_is_told(tmp_path, setup):
    con, path, *_ = setup
    con.close()
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def save(name: str, status: str) -> None:
        with db.writing(path) as mine:
            barrier.wait()
            try:
                results[name] = reviews.override(
                    mine, agency_id="dinkes", category_id="c1", status=status,
                    reason=f"alasan {name}", expected_run_id=1, expected_review_id=None,
                    reviewer=name, at=AT)
            except reviews.ReviewConflict as exc:
                results[name] = exc

    threads = [threading.Thread(target=save, args=(n, s)) for n, s in
               [("budi", "found"), ("sari", "broken")]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [n for n, r in results.items() if isinstance(r, int)]
    lost = [n for n, r in results.items() if isinstance(r, reviews.ReviewConflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "tidak hilang" in str(results[lost[0]])
    with db.read_only(path) as check:
        rows = check.execute("SELECT reviewer FROM reviews").fetchall()
        assert rows == [(won[0],)]
        status = check.execute("SELECT status, status_source FROM latest_findings "
                               "WHERE agency_id = 'dinkes' AND category_id = 'c1'").fetchall()
        assert status == [({"budi": "found", "sari": "broken"}[won[0]], "override")]
        attempts = check.execute("SELECT after FROM audit_log WHERE action = 'review_conflict'"
                                 ).fetchall()
        assert len(attempts) <= 1  # DuckDB's own write conflict rolls the loser back whole


def test_a_new_run_carries_the_override_and_scores_with_it(setup):
    con, path, cats, dinkes, dishub = setup
    override(con)
    record = factories.run(cats, {
        dinkes: {"c0": "found", "c1": "missing", "c2": "missing", "c3": "found"},
    }, when=datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    run_id = write(con, record)
    assert run_id == 2
    assert latest(con, "dinkes", "c1") == ("found", "override", "missing")
    assert score(con, "dinkes") == (75.0, "Cukup Informatif")
    carried = con.execute("SELECT crawler_status, review_id FROM findings WHERE run_id = 2 AND "
                          "agency_id = 'dinkes' AND category_id = 'c1'").fetchall()
    assert carried == [("missing", 1)]
    assert queries.records(con, "audit_log", agency_id="dinkes", limit=1)[0]["action"] == \
        "override_applied"


def test_override_lapses_when_the_detector_changes(setup):
    con, path, cats, dinkes, _ = setup
    override(con, status="broken", reason="dokumen milik badan publik lain")
    record = factories.run(cats, {
        dinkes: {"c0": "found", "c1": "found", "c2": "missing", "c3": "found"},
    }, when=datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    write(con, record)
    assert latest(con, "dinkes", "c1") == ("found", "crawler", "found")
    assert score(con, "dinkes") == (75.0, "Cukup Informatif")
    lapsed = con.execute("SELECT state, lapse_reason FROM review_history").fetchall()
    assert lapsed == [("lapsed", "detector_changed")]
    row = queries.records(con, "audit_log", agency_id="dinkes", limit=1)[0]
    assert (row["action"], row["actor"]) == ("override_lapsed", "sistem")


def test_override_lapses_when_the_evidence_hash_changes(setup):
    con, path, cats, dinkes, _ = setup
    con.execute("UPDATE findings SET evidence_sha256 = 'aa' WHERE agency_id = 'dinkes' "
                "AND category_id = 'c0'")
    review_id = override(con, status="missing", reason="dokumen milik badan publik lain",
                         category="c0")
    assert score(con, "dinkes") == (25.0, "Tidak Informatif")
    record = factories.run(cats, {
        dinkes: {"c0": "found", "c1": "missing", "c2": "missing", "c3": "found"},
    }, when=datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    record = replace(record, outcomes=[replace(o, findings=[
        replace(f, evidence_url=f.evidence_url) for f in o.findings]) for o in record.outcomes])

    def store_with_hash(con_, run_id):
        con_.execute("UPDATE findings SET evidence_sha256 = 'bb' WHERE run_id = ? AND "
                     "agency_id = 'dinkes' AND category_id = 'c0'", [run_id])
        carried.store(con_, run_id)

    carried = reviews.plan_run(con, record, at=AT)
    assert carried.carried == {("dinkes", "c0"): (review_id, "missing")}  # no hash known yet
    write_run(con, carried.record, after_insert=store_with_hash)
    assert latest(con, "dinkes", "c0") == ("found", "crawler", "found")
    assert score(con, "dinkes") == (50.0, "Kurang Informatif")
    assert con.execute("SELECT lapse_reason FROM reviews").fetchall() == [("evidence_changed",)]


def test_an_unreachable_run_neither_carries_nor_lapses(setup):
    con, path, cats, dinkes, _ = setup
    override(con)
    record = factories.run(cats, {dinkes: {c.id: "unreachable" for c in cats}},
                           when=datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    write(con, record)
    assert latest(con, "dinkes", "c1") == ("unreachable", "crawler", "unreachable")
    assert [r["applied"] for r in queries.records(con, "active_overrides")] == [False]
    with pytest.raises(reviews.ReviewRefused):
        override(con, run_id=2)


def test_a_second_override_replaces_the_first(setup):
    con, *_ = setup
    first = override(con, status="found")
    second = override(con, status="stale", reason="dokumen tahun lalu", expected_review_id=first,
                      reviewer="sari")
    assert latest(con, "dinkes", "c1") == ("stale", "override", "missing")
    states = dict(con.execute("SELECT review_id, state FROM review_history").fetchall())
    assert states == {first: "revoked", second: "active"}
    reviews.revoke(con, review_id=second, expected_version=1, reviewer="sari", at=AT)
    assert latest(con, "dinkes", "c1") == ("missing", "crawler", "missing")


def test_overrides_are_shown_as_overrides_in_export_report_and_reminder(setup, tmp_path):
    from datetime import date

    from core.settings import Settings
    from reminders.compose import Composer
    from reminders.store import read_snapshot
    from warehouse.export import export
    from warehouse.reports import content, html, pdf

    con, *_ = setup
    override(con, status="broken", reason="dokumen milik badan publik lain <b>bukan</b>")
    override(con, status="found", reason="dokumen hanya untuk pengguna yang masuk", category="c2")

    written = export(con, tmp_path / "ekspor", "csv")
    latest_csv = next(p for p in written if p.name == "latest_findings.csv").read_text()
    assert "c1,broken" in latest_csv.replace('"', "") and "override" in latest_csv
    active_csv = next(p for p in written if p.name == "active_overrides.csv").read_text()
    assert "dokumen hanya untuk pengguna yang masuk" in active_csv

    report = content.agency_report(con, "dinkes")
    marked = {f.category_id: f.status_word for f in report.agency.findings if f.overridden}
    assert marked == {"c1": "Tautan rusak ✎ (dikoreksi)", "c2": "Ditemukan ✎ (dikoreksi)"}
    page = html.agency_html(report)
    assert "Koreksi peninjau" in page and "&lt;b&gt;bukan&lt;/b&gt;" in page
    city = html.city_html(content.city_report(con))
    assert "✓✎" in city and "✗✎" not in city
    assert pdf.agency_pdf(report)[:4] == b"%PDF"
    from warehouse.reports import monev
    sheet = monev.evidence_sheet(con, "dinkes")
    marked_rows = {r.name: (r.shown_status, r.still_missing) for r in sheet.rows
                   if "✎" in r.shown_status}
    assert marked_rows["Kategori 2"][0] == "Ditemukan ✎ (dikoreksi)"
    assert "Dikoreksi oleh budi" in marked_rows["Kategori 2"][1]
    assert monev.sheet_pdf(sheet)[:4] == b"%PDF" and monev.sheet_excel(sheet)[:2] == b"PK"

    snapshot = read_snapshot(con)
    gaps = {g.category_id: g for g in snapshot.agencies["dinkes"].gaps}
    assert "c2" not in gaps  # overridden to found: not asked for
    assert gaps["c1"].status == "broken" and "badan publik lain" in gaps["c1"].override_reason
    subject, text, body = Composer(Settings()).reminder(
        snapshot.agencies["dinkes"], contact=None, escalation=None, today=date(2026, 12, 1))
    assert "koreksi peninjau Diskominfo" in text and "dokumen milik badan publik lain" in text
    assert "&lt;b&gt;bukan&lt;/b&gt;" in body


# ---- end to end: the real crawl_all flow over a loopback site, real SMTP ------------------

@pytest.fixture
def trust_world(tmp_path):
    from tests.test_trust_scenarios import World

    settings = tmp_path / "settings.yaml"
    settings.write_text(
        "crawl:\n  host_delay: 0.0\n  connect_timeout: 3\n  read_timeout: 5\n"
        "  page_timeout: 10\n  retries: 0\n  use_sitemaps: false\n"
        "schedule:\n  agency_task_retries: 0\n", encoding="utf-8")
    with World(tmp_path, settings) as world:
        yield world


@pytest.mark.slow
def test_crawls_carry_an_override_until_its_evidence_changes(prefect_api, trust_world):
    from reminders.service import run_reminders
    from tests.conftest import TODAY
    from tests.reminders_helpers import smtp_server, smtp_settings

    world = trust_world
    world.crawl()
    assert world.finding("kinerja")[:2] == ("found", "found")
    with db.writing(world.db) as con:
        before = con.execute("SELECT score FROM latest_scores WHERE agency_id = 'dinas'"
                             ).fetchall()[0][0]
        run_id = con.execute("SELECT run_id FROM latest_scores WHERE agency_id = 'dinas'"
                             ).fetchall()[0][0]
        reviews.override(con, agency_id="dinas", category_id="kinerja", status="missing",
                         reason="dokumen milik badan publik lain", expected_run_id=run_id,
                         expected_review_id=None, reviewer="budi", at=AT)
        lowered = con.execute("SELECT score FROM latest_scores WHERE agency_id = 'dinas'"
                              ).fetchall()[0][0]
    assert lowered < before

    summary = world.crawl()  # the site is unchanged: the override is carried
    assert world.finding("kinerja")[:2] == ("missing", "found")
    stored = dict(query_all(world.db, "SELECT agency_id, score FROM latest_scores"))
    assert stored["dinas"] == lowered
    assert {r["agency_id"]: r["score"] for r in summary["scores"]}["dinas"] == lowered
    with smtp_server() as (inbox, port):
        run_reminders(world.db, smtp_settings(port, min_interval_days=0), today=TODAY)
        [message] = inbox.for_agency("dinas")
        assert "dokumen milik badan publik lain" in message.part("plain")
        assert "koreksi peninjau" in message.part("plain")

    # The document the override judged is replaced at the same URL: its SHA-256 changes.
    world.dinas.bodies["lkjip"] = b"%PDF-1.4\n% laporan kinerja, versi baru\n" + b"1" * 3000
    world.crawl()
    assert world.finding("kinerja")[:2] == ("found", "found")  # the crawler's own again
    sources = query_all(world.db, "SELECT status_source FROM latest_findings "
                                  "WHERE agency_id = 'dinas' AND category_id = 'kinerja'")
    assert sources == [("crawler",)]
    assert query_all(world.db, "SELECT state, lapse_reason FROM review_history") == [
        ("lapsed", "evidence_changed")]
    assert query_all(world.db, "SELECT score FROM latest_scores WHERE agency_id = 'dinas'"
                     ) == [(before,)]
    trail = query_all(world.db, "SELECT actor, action FROM audit_log ORDER BY id")
    assert ("sistem", "override_applied") in trail and trail[-1] == ("sistem", "override_lapsed")


def query_all(path, sql):
    with db.read_only(path) as con:
        return con.execute(sql).fetchall()


def test_open_reviews_lists_unconfirmed_claims_until_a_review_answers_them(setup):
    con, *_ = setup
    con.execute("INSERT INTO declarations (agency_id, category_id, url, note, source, "
                "declared_by, declared_at) VALUES ('dinkes', 'c1', 'http://dinkes.test/lhkpn', "
                "'tabel baris 3', 'file', 'berkas:klaim.csv', ?)", [AT])
    con.execute("INSERT INTO declarations (agency_id, category_id, url, note, source, "
                "declared_by, declared_at) VALUES ('dinkes', 'c2', 'http://dinkes.test/c2', "
                "NULL, 'form', 'opd:dinkes', ?)", [AT])
    con.execute("INSERT INTO declaration_checks VALUES (1, 1, 'dinkes', 'c1', "
                "'http://dinkes.test/lhkpn', false, 'alamat menjawab 404', 404, 'text/html', "
                "10, NULL, ?)", [AT])
    con.execute("INSERT INTO declaration_checks VALUES (1, 2, 'dinkes', 'c2', "
                "'http://dinkes.test/c2', true, NULL, 200, 'application/pdf', 10, NULL, ?)", [AT])
    waiting = queries.records(con, "open_reviews")
    assert [(r["kind"], r["category_id"], r["detail"]) for r in waiting] == [
        ("claim", "c1", "alamat menjawab 404")]  # the confirmed claim is not waiting
    later = datetime(2026, 12, 1, 11, 0, tzinfo=WIB)
    reviews.override(con, agency_id="dinkes", category_id="c1", status="found",
                     reason="dokumen hanya untuk pengguna yang masuk", expected_run_id=1,
                     expected_review_id=None, reviewer="budi", at=later)
    waiting = queries.records(con, "open_reviews")
    assert [(r["kind"], r["category_id"]) for r in waiting] == [("override", "c1")]


def test_the_changes_between_runs_label_an_override_as_one(setup):
    from dashboard.data import changes_table

    con, path, cats, dinkes, _ = setup
    record = factories.run(cats, {
        dinkes: {"c0": "found", "c1": "missing", "c2": "missing", "c3": "found"},
    }, when=datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    write(con, record)
    override(con, run_id=2)
    changes = changes_table(queries.run(con, "changes", from_run=1, to_run=2))
    row = changes[changes["category_id"] == "c1"].iloc[0]
    assert (row["from_label"], row["to_label"]) == ("Tidak ditemukan", "Ditemukan ✎ (dikoreksi)")
