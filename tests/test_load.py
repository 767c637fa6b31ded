from datetime import datetime

import pytest

from scrapers.model import DocumentCheck, Page, SiteCrawl
from tests import factories as f
from warehouse import db, load


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def view(con, name, order="agency_id"):
    return con.execute(f"SELECT * FROM {name} ORDER BY {order}").fetchall()


def test_a_run_is_visible_in_the_contract_views(con):
    cats = f.categories(4, [1, 1, 1, 1])
    utama, dinkes = f.agency("utama", role="utama"), f.agency("dinkes")
    run_id = load.write_run(con, f.run(cats, {
        utama: {"c0": "found", "c1": "found", "c2": "found", "c3": "stale"},
        dinkes: {"c0": "found", "c1": "missing", "c2": "broken", "c3": "missing"},
    }))
    assert run_id == 1
    scores = {r[0]: (r[1], r[2]) for r in view(con, "latest_scores")}
    assert scores == {"utama": (87.5, "Menuju Informatif"), "dinkes": (25.0, "Tidak Informatif")}
    findings = con.execute(
        "SELECT agency_id, category_id, status, evidence_url, run_id FROM latest_findings "
        "WHERE agency_id = 'dinkes' ORDER BY category_id").fetchall()
    assert [r[2] for r in findings] == ["found", "missing", "broken", "missing"]
    assert findings[0][3] == "http://dinkes.test/c0.pdf" and findings[0][4] == 1
    columns = [d[0] for d in con.execute("SELECT * FROM latest_findings").description]
    assert columns == ["agency_id", "category_id", "status", "evidence_url", "evidence_text",
                       "document_year", "checked_at", "run_id", "status_source",
                       "detector_status", "confirmed"]
    columns = [d[0] for d in con.execute("SELECT * FROM latest_scores").description]
    assert columns == ["agency_id", "score", "band", "run_id", "checked_at"]
    columns = [d[0] for d in con.execute("SELECT * FROM score_history").description]
    assert columns == ["agency_id", "run_id", "checked_at", "score", "band"]


def test_latest_views_follow_each_agencys_latest_run_and_history_keeps_all(con):
    cats = f.categories(2)
    a, b = f.agency("a"), f.agency("b")
    load.write_run(con, f.run(cats, {a: {"c0": "missing", "c1": "missing"},
                                     b: {"c0": "found", "c1": "found"}}, datetime(2026, 11, 2)))
    load.write_run(con, f.run(cats, {a: {"c0": "found", "c1": "missing"}}, datetime(2026, 11, 9)))
    latest = {r[0]: (r[1], r[3]) for r in view(con, "latest_scores")}
    assert latest == {"a": (50.0, 2), "b": (100.0, 1)}
    history = view(con, "score_history", "agency_id, run_id")
    assert [(r[0], r[1], r[3]) for r in history] == [("a", 1, 0.0), ("a", 2, 50.0), ("b", 1, 100.0)]


def test_an_unreachable_agency_has_a_null_score(con):
    cats = f.categories(3)
    down = f.agency("down")
    load.write_run(con, f.run(cats, {down: {c.id: "unreachable" for c in cats}}))
    assert view(con, "latest_scores")[0][1:3] == (None, None)
    assert {r[2] for r in view(con, "latest_findings")} == {"unreachable"}
    assert con.execute("SELECT reachable FROM agency_runs").fetchone()[0] is False


def test_a_failure_mid_write_leaves_the_views_unchanged(con, monkeypatch):
    cats = f.categories(2)
    a = f.agency("a")
    load.write_run(con, f.run(cats, {a: {"c0": "found", "c1": "found"}}))
    before = {name: view(con, name) for name in ("latest_findings", "latest_scores", "score_history")}

    real_copy = load._copy_statements

    def crash_at_findings(table, source):  # the run, agencies and agency_runs rows are in
        if table == "findings":
            raise OSError("disk full while writing findings")
        return real_copy(table, source)

    monkeypatch.setattr(load, "_copy_statements", crash_at_findings)
    with pytest.raises(load.RunWriteError, match="nothing was written"):
        load.write_run(con, f.run(cats, {a: {"c0": "missing", "c1": "missing"}}, datetime(2026, 11, 9)))
    after = {name: view(con, name) for name in before}
    assert after == before
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 2


def test_a_database_constraint_failure_rolls_back_too(con):
    cats = f.categories(1)
    a = f.agency("a")
    load.write_run(con, f.run(cats, {a: {"c0": "found"}}))
    # The same (run, agency) twice violates agency_runs' primary key after the run row is in.
    record = f.run(cats, {a: {"c0": "missing"}})
    record.outcomes.append(record.outcomes[0])
    with pytest.raises(load.RunWriteError):
        load.write_run(con, record)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert con.execute("SELECT status FROM latest_findings").fetchone()[0] == "found"


def test_unknown_statuses_and_categories_are_refused_before_writing(con):
    cats = f.categories(1)
    with pytest.raises(load.RunWriteError, match="unknown status 'maybe'"):
        load.write_run(con, f.run(cats, {f.agency("a"): {"c0": "maybe"}}))
    with pytest.raises(load.RunWriteError, match="unknown category 'zz'"):
        load.write_run(con, f.run(cats, {f.agency("a"): {"zz": "found"}}))
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_agencies_and_categories_are_upserted(con):
    cats = f.categories(2, [1, 3])
    a = f.agency("a")
    load.write_run(con, f.run(cats, {a: {"c0": "found", "c1": "missing"}}))
    load.write_run(con, f.run(cats, {a: {"c0": "found", "c1": "missing"}}))
    assert con.execute("SELECT count(*) FROM agencies").fetchone()[0] == 1
    assert con.execute("SELECT weight FROM categories ORDER BY position").fetchall() == [(1.0,), (3.0,)]
    assert con.execute("SELECT score FROM latest_scores").fetchone()[0] == 25.0


def test_failed_runs_are_recorded_but_not_in_the_views(con):
    load.record_failed_run(con, datetime(2026, 11, 2), "r.yaml", "registry refused")
    assert con.execute("SELECT status FROM runs").fetchone()[0] == "failed"
    assert view(con, "latest_scores") == []


def test_findings_that_repeat_a_category_are_refused_naming_the_agency(con):
    """findings has no primary-key index (migration 0016): the write itself refuses two
    findings of one agency and category, before anything of the run is stored."""
    cats = f.categories(2)
    a, b = f.agency("a"), f.agency("b")
    load.write_run(con, f.run(cats, {a: {"c0": "found", "c1": "found"}}))
    record = f.run(cats, {a: {"c0": "missing", "c1": "missing"},
                          b: {"c0": "found", "c1": "found"}}, datetime(2026, 11, 9))
    record.outcomes[1].findings.append(record.outcomes[1].findings[1])
    with pytest.raises(load.RunWriteError,
                       match="nothing was written.*agency 'b': 2 rows of findings with "
                             "category_id 'c1'"):
        load.write_run(con, record)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM agency_runs").fetchone()[0] == 1


def _crawled(record, pages, documents=(), when=datetime(2026, 11, 2, 2, 0)):
    outcome = record.outcomes[0]
    outcome.crawl = SiteCrawl(
        start_url=outcome.agency.url, reachable=True, started_at=when, finished_at=when,
        pages=list(pages), documents={d.url: d for d in documents})
    return record


def cache(con):
    return con.execute("SELECT url, kind, etag, run_id FROM http_cache ORDER BY url").fetchall()


def test_the_http_cache_keeps_one_row_per_url_and_the_rows_a_smart_recrawl_reused(con):
    """A run replaces the cache rows of the URLs it wrote (deleted, then inserted: the table
    has no primary key since 0016), keeps those of pages it reused without asking (not
    staged) and of URLs it did not see."""
    cats = f.categories(1)
    a = f.agency("a")
    url = a.url
    first = [Page(url=f"{url}p{i}", status=200, etag=f'"{i}"') for i in range(3)]
    load.write_run(con, _crawled(f.run(cats, {a: {"c0": "found"}}), first,
                                 [DocumentCheck(url=f"{url}d.pdf", ok=True, etag='"d"')]))
    assert cache(con) == [(f"{url}d.pdf", "document", '"d"', 1),
                          *[(f"{url}p{i}", "page", f'"{i}"', 1) for i in range(3)]]
    second = [Page(url=f"{url}p0", status=200, etag='"new"'),      # asked again, changed
              Page(url=f"{url}p1", status=200, etag='"1"', from_cache=True, reused=True),
              Page(url=f"{url}p3", status=200, etag='"3"')]         # new page
    load.write_run(con, _crawled(f.run(cats, {a: {"c0": "found"}}, datetime(2026, 11, 9)),
                                 second, [DocumentCheck(url=f"{url}d.pdf", ok=True, etag='"d2"')]))
    assert cache(con) == [(f"{url}d.pdf", "document", '"d2"', 2), (f"{url}p0", "page", '"new"', 2),
                          (f"{url}p1", "page", '"1"', 1), (f"{url}p2", "page", '"2"', 1),
                          (f"{url}p3", "page", '"3"', 2)]
    pages, documents = load.load_http_cache(con, "a")
    assert pages[f"{url}p0"].etag == '"new"' and documents[f"{url}d.pdf"].etag == '"d2"'


def test_cache_rows_that_repeat_a_url_are_refused_naming_the_agency(con):
    cats = f.categories(1)
    a = f.agency("a")
    twice = [Page(url=f"{a.url}p", status=200), Page(url=f"{a.url}p", status=200)]
    with pytest.raises(load.RunWriteError,
                       match=f"agency 'a': 2 rows of http_cache with url '{a.url}p'"):
        load.write_run(con, _crawled(f.run(cats, {a: {"c0": "found"}}), twice))
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM http_cache").fetchone()[0] == 0
