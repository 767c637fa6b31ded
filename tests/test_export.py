import csv

import duckdb
import pytest

from tests import factories as f
from warehouse import db, export, load


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "w.duckdb")
    cats = f.categories(2)
    load.write_run(connection, f.run(cats, {f.agency("a"): {"c0": "found", "c1": "stale"},
                                            f.agency("b"): {"c0": "missing", "c1": "broken"}}))
    yield connection
    connection.close()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_view_is_exported(con, tmp_path, fmt):
    files = export.export(con, tmp_path / "out", fmt)
    assert sorted(p.name for p in files) == sorted(
        f"{n}.{fmt}" for n in export.VIEWS + export.TABLES)
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    rows = duckdb.sql(
        f"SELECT agency_id, score, band FROM {reader}('{tmp_path / 'out' / ('latest_scores.' + fmt)}') ORDER BY 1"
    ).fetchall()
    assert rows == [("a", 75.0, "Cukup Informatif"), ("b", 0.0, "Tidak Informatif")]


def test_csv_has_a_header(con, tmp_path):
    export.export(con, tmp_path / "out", "csv")
    with open(tmp_path / "out" / "latest_findings.csv", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:3] == ["agency_id", "category_id", "status"]


def test_unknown_format_is_refused(con, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export.export(con, tmp_path, "xml")


def test_named_findings_carry_agency_and_category_names(con, tmp_path):
    export.export(con, tmp_path / "out", "csv")
    path = tmp_path / "out" / "latest_findings_named.csv"
    rows = duckdb.sql(f"SELECT agency_id, agency_name, category_id, category_name, status "
                      f"FROM read_csv_auto('{path}') ORDER BY 1, 3").fetchall()
    assert len(rows) == 4 and all(r[1] and r[3] for r in rows)
    assert [r[4] for r in rows] == ["found", "stale", "missing", "broken"]
    for table in ("agency_runs", "findings", "documents", "reminders"):
        assert (tmp_path / "out" / f"{table}.csv").is_file()
