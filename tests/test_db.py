import duckdb
import pytest

from warehouse import db


def tables(con):
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_an_empty_file_is_migrated_to_the_latest_schema(tmp_path):
    path = tmp_path / "p.duckdb"
    con = db.connect(path)
    assert db.schema_version(con) == db.latest_version() >= 3
    assert {"agencies", "categories", "runs", "agency_runs", "pages", "documents", "findings",
            "reminders", "http_cache", "latest_findings", "latest_scores",
            "score_history"} <= tables(con)
    rows = con.execute("SELECT version, name, applied_at FROM schema_version ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == list(range(1, db.latest_version() + 1))
    assert all(r[2] is not None for r in rows)


def test_an_older_database_is_migrated_on_open_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    db.migrate(con, target=1)
    con.execute("INSERT INTO runs VALUES (1, now(), now(), 'completed', 'r.yaml', NULL, NULL)")
    con.close()

    con = db.connect(path)
    assert db.schema_version(con) == db.latest_version()
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert "latest_scores" in tables(con)


def test_migrating_twice_does_nothing(tmp_path):
    con = db.connect(tmp_path / "p.duckdb")
    assert db.migrate(con) == []


def test_a_newer_database_is_refused_clearly(tmp_path):
    path = tmp_path / "new.duckdb"
    con = db.connect(path)
    con.execute("INSERT INTO schema_version VALUES (999, 'from_the_future', now())")
    con.close()
    with pytest.raises(db.SchemaError, match="lebih baru daripada yang dikenal Pantau"):
        db.connect(path)
    with pytest.raises(db.SchemaError, match="lebih baru"), db.read_only(path):
        pass


def test_read_only_refuses_a_file_that_is_not_a_pantau_database(tmp_path):
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(db.SchemaError, match="bukan basis data Pantau PPID"), db.read_only(path):
        pass
    with pytest.raises(FileNotFoundError), db.read_only(tmp_path / "absent.duckdb"):
        pass


def test_migration_files_are_numbered_without_gaps():
    numbers = [m.version for m in db.migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


def duckdb_shell() -> str:
    """The DuckDB command-line shell of the stable 1.x line (pip package ``duckdb-cli``, a
    test dependency), installed beside this Python."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).with_name("duckdb")
    found = str(beside) if beside.exists() else shutil.which("duckdb")
    if not found:
        pytest.fail("the duckdb shell is missing: install the test extra (duckdb-cli)")
    return found


def test_the_stable_duckdb_shell_opens_a_database_written_by_pantau(tmp_path):
    """Analysts open the file with the shell they have: DuckDB 1.5 reads the file the
    crawl wrote with DuckDB 2 (created in the 1.5 storage format), views included."""
    import json
    import subprocess

    from tests import dashboard_fixture as fx

    city = fx.build(tmp_path / "city.duckdb")
    shell = duckdb_shell()
    version = subprocess.run([shell, "--version"], capture_output=True, text=True, timeout=30)
    assert version.stdout.startswith("v1."), version.stdout
    query = "SELECT agency_id, score FROM latest_scores ORDER BY agency_id"
    answer = subprocess.run([shell, "-readonly", "-json", str(city.path), "-c", query],
                            capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    with db.read_only(city.path) as con:
        expected = con.execute(query).fetchall()
    shown = [(row["agency_id"], row["score"]) for row in json.loads(answer.stdout)]
    assert shown == expected and len(shown) == len(fx.AGENCIES)


def test_every_timestamp_carries_its_zone_and_old_naive_times_are_converted(tmp_path):
    """Run times were server-local and reminder times WIB, both unlabelled; after 0007 every
    timestamp column is TIMESTAMPTZ and the old values mean the same instants."""
    from datetime import UTC, datetime

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")  # the server's local zone when the data was written
    db.migrate(con, target=6)
    con.execute("INSERT INTO runs VALUES (1, '2026-11-02 02:00', '2026-11-02 02:20', "
                "'completed', 'r.yaml', NULL, NULL)")
    con.execute("INSERT INTO reminders (agency_id, run_id, channel, status, created_at, sent_at)"
                " VALUES ('dinkes', 1, 'email', 'sent', '2026-11-02 09:30', '2026-11-02 09:31')")
    db.migrate(con)
    kinds = dict(con.execute(
        "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
        "WHERE data_type LIKE 'TIMESTAMP%' AND table_name NOT IN ('schema_version') AND "
        "table_name IN (SELECT table_name FROM information_schema.tables "
        "               WHERE table_type = 'BASE TABLE')").fetchall())
    assert kinds and set(kinds.values()) == {"TIMESTAMP WITH TIME ZONE"}, kinds
    started = con.execute("SELECT started_at FROM runs").fetchall()[0][0]
    assert con.execute("SELECT count(*) FROM score_history").fetchall()[0][0] == 0  # views bind
    sent = con.execute("SELECT sent_at FROM reminders").fetchall()[0][0]
    con.close()
    assert started == datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    assert sent == datetime(2026, 11, 2, 2, 31, tzinfo=UTC)  # 09.31 WIB


def test_every_stored_and_viewed_time_carries_its_zone(tmp_path):
    """information_schema (what DBeaver, the duckdb CLI and pandas read) reports every
    timestamp column of every table and view as TIMESTAMP WITH TIME ZONE."""
    con = db.connect(tmp_path / "pantau.duckdb")
    try:
        naive = con.execute(
            "SELECT table_name || '.' || column_name FROM information_schema.columns"
            " WHERE data_type = 'TIMESTAMP' ORDER BY 1").fetchall()
    finally:
        con.close()
    assert naive == []


def _shape(con, table):
    """Every column (position, type, default, nullability) and every constraint of a table."""
    columns = con.execute(
        "SELECT ordinal_position, column_name, data_type, column_default, is_nullable "
        "FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()
    constraints = con.execute(
        "SELECT constraint_type, constraint_text, constraint_column_names "
        "FROM duckdb_constraints() WHERE table_name = ? ORDER BY ALL", [table]).fetchall()
    return columns, constraints


def test_0016_drops_only_the_primary_keys_of_findings_and_http_cache(tmp_path):
    """The two big tables a run writes lose their primary-key index and nothing else: the same
    columns, types, defaults, NOT NULLs and CHECKs, the same rows, and the views still read
    them (they are bound when queried)."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    db.migrate(con, target=15)
    con.execute("INSERT INTO runs VALUES (1, now(), now(), 'completed', 'r.yaml', NULL, NULL)")
    con.execute("INSERT INTO agencies VALUES ('a', 'A', 'http://a.test/', NULL, 'utama', NULL,"
                " false, now())")
    con.execute("INSERT INTO categories VALUES ('c0', 'berkala', 'C0', NULL, 1, 'none', 0, NULL)")
    con.execute("INSERT INTO agency_runs (run_id, agency_id, reachable, score, checked_at)"
                " VALUES (1, 'a', true, 100, now())")
    con.execute("INSERT INTO findings (run_id, agency_id, category_id, status, evidence_url,"
                " checked_at, evidence_chain) VALUES (1, 'a', 'c0', 'found', 'http://a.test/c.pdf',"
                " now(), ['http://a.test/c.pdf'])")
    con.execute("INSERT INTO http_cache VALUES ('a', 'http://a.test/', 'page', '\"e\"', NULL,"
                " '{\"url\": \"http://a.test/\"}', 1, now())")
    before = {t: _shape(con, t) for t in ("findings", "http_cache")}
    rows = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in ("findings", "http_cache")}
    db.migrate(con)

    for table, (columns, constraints) in before.items():
        columns_after, constraints_after = _shape(con, table)
        assert columns_after == columns
        assert [c for c in constraints if c[0] != "PRIMARY KEY"] == constraints_after
        assert any(c[0] == "PRIMARY KEY" for c in constraints)
        assert con.execute(f"SELECT * FROM {table}").fetchall() == rows[table]
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name IN "
                       "('findings', 'http_cache')").fetchone()[0] == 0
    assert "USING COMPRESSION ZSTD" in con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = 'http_cache'").fetchone()[0]
    with pytest.raises(duckdb.ConstraintException):  # the CHECK is still there
        con.execute("INSERT INTO findings (run_id, agency_id, category_id, status, checked_at)"
                    " VALUES (2, 'a', 'c0', 'hilang', now())")
    with pytest.raises(duckdb.ConstraintException):  # and the NOT NULL of the old key
        con.execute("INSERT INTO http_cache VALUES ('a', NULL, 'page', NULL, NULL, '{}', 1, now())")
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    assert {"latest_findings", "last_known_findings", "latest_finding_reviews"} <= set(views)
    for name in views:
        con.execute(f"SELECT * FROM {name}").fetchall()
    assert con.execute("SELECT agency_id, category_id, status FROM latest_findings").fetchall() == [
        ("a", "c0", "found")]
    con.close()
