"""Rows into DuckDB through JSON-line files (``warehouse.rowfiles``), on a real DuckDB file."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import duckdb
import pytest

from warehouse.rowfiles import MIN_OBJECT_BYTES, RowFiles, remove_directory, temporary

WIB = timezone(timedelta(hours=7))


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE TABLE t (id VARCHAR NOT NULL, n INTEGER, score DOUBLE, ok BOOLEAN, "
                "seen_at TIMESTAMPTZ, day DATE, data JSON, tags VARCHAR[], note VARCHAR DEFAULT 'x')")
    yield con
    con.close()


def test_columns_arrive_with_the_tables_types(con, tmp_path):
    at = datetime(2026, 12, 1, 9, 30, tzinfo=WIB)
    with RowFiles(tmp_path, "run") as files:
        files.append("t", {"id": ["a", "b"], "n": [1, None], "score": [72.5, None],
                           "ok": [True, False], "seen_at": [at, None],
                           "day": [date(2026, 12, 1), None],
                           "data": [json.dumps({"links": ["/a"]}), None],
                           "tags": [["x", "y"], []]})
        assert files.rows == 2 and files.bytes > 0
        assert files.load(con) == ["t"]
        assert files.rows == 0 and files.bytes == 0
    rows = con.execute("SELECT id, n, score, ok, seen_at, day, data->>'$.links[0]', tags, note "
                       "FROM t ORDER BY id").fetchall()
    assert rows[0][:4] == ("a", 1, 72.5, True)
    assert rows[0][4] == at.astimezone(rows[0][4].tzinfo)  # the same instant, zone kept
    assert rows[0][5:] == (date(2026, 12, 1), "/a", ["x", "y"], "x")  # default for a missing column
    assert rows[1][1:6] == (None, None, False, None, None)


def test_a_load_appends_and_the_files_start_again(con, tmp_path):
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["a"]})
        files.load(con)
        files.append("t", {"id": ["b", "c"]})
        files.load(con)
        assert files.tables() == []  # nothing waits
        files.load(con)  # no-op
    assert con.execute("SELECT string_agg(id, ',' ORDER BY id) FROM t").fetchall() == [("a,b,c",)]


def test_text_a_site_sent_is_kept_as_text(con, tmp_path):
    """Quotes, newlines, NUL, non-Latin script and HTML-looking text go in unchanged; a lone
    surrogate (invalid UTF-8) becomes "?" instead of failing the run."""
    odd = ['"quoted" \\ back\nslash', "nul\x00byte", "Informasi Publik — ʻ中文ʼ 🇮🇩",
           "<script>alert(1)</script>", "lone \udc80 surrogate"]
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": odd})
        files.load(con)
    got = [r[0] for r in con.execute("SELECT id FROM t").fetchall()]
    assert got[:4] == odd[:4]
    assert got[4] == "lone ? surrogate"


def test_a_row_longer_than_the_default_reader_bound_goes_in(con, tmp_path):
    """One page's JSON can be many megabytes (a page of 100,000 links): the reader is told
    the longest line written, so no row is too long."""
    big = json.dumps({"links": [f"/dokumen/{i:06d}.pdf" for i in range(200_000)]})
    assert len(big) > 2 * MIN_OBJECT_BYTES
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["big"], "data": [big]})
        files.load(con)
    assert con.execute("SELECT json_array_length(data->'$.links') FROM t").fetchall() == [(200_000,)]


def test_a_load_that_fails_leaves_the_table_as_it_was(con, tmp_path):
    """DuckDB refuses a value that does not fit its column (text into INTEGER, bad JSON),
    naming it; inside a transaction nothing is stored."""
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["a", "b"], "n": [1, "zwei"]})
        con.execute("BEGIN TRANSACTION")
        with pytest.raises(duckdb.Error, match="zwei"):
            files.load(con)
        con.execute("ROLLBACK")
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]


def test_columns_must_stay_the_same_and_exist(con, tmp_path):
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["a"]})
        with pytest.raises(ValueError, match="differ"):
            files.append("t", {"id": ["b"], "n": [1]})
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["a"], "colour": ["red"]})
        with pytest.raises(ValueError, match="no column colour"):
            files.load(con)


def test_close_deletes_the_files(tmp_path):
    files = temporary()
    files.append("t", {"id": ["a"]})
    path = files.path("t")
    assert path.exists()
    remove_directory(files)
    assert not path.exists() and not files.directory.exists()


def test_the_flow_process_does_not_import_arrow():
    """The crawl flow's process stores rows without pyarrow (and numpy): ~60 MB less before
    any crawl."""
    import subprocess

    code = ("import sys, flows.crawl, warehouse.staging, warehouse.load\n"
            "print(sorted(m for m in ('pyarrow', 'numpy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_an_aware_time_keeps_its_instant_in_any_session_zone(con, tmp_path):
    """Aware times keep their instant whatever the session's zone."""
    at = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    con.execute("SET TimeZone = 'Asia/Jakarta'")
    with RowFiles(tmp_path) as files:
        files.append("t", {"id": ["a"], "seen_at": [at]})
        files.load(con)
    assert con.execute("SELECT epoch(seen_at) FROM t").fetchall() == [(at.timestamp(),)]
