"""Declared evidence through the real crawl flow (real Prefect, loopback site, DuckDB file):
a declaration the next crawl confirms, and ones it cannot confirm, each with its reason."""

from __future__ import annotations

import json

import duckdb
import pytest

from flows.crawl import crawl_all
from tests import claims_site
from tests.conftest import TODAY

pytestmark = pytest.mark.slow


def rows(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(sql, params)
        names = [d[0] for d in result.description]
        return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    finally:
        con.close()


def finding(db, category):
    return rows(db, "SELECT status, status_source, detector_status, evidence_url FROM "
                    "latest_findings WHERE agency_id = 'contoh' AND category_id = ?", [category])[0]


def test_a_declared_url_is_confirmed_by_the_next_crawl_and_bad_ones_are_not(
        prefect_api, tmp_path, fast_settings_file):
    db = tmp_path / "pantau.duckdb"
    with claims_site.site() as server:
        registry = claims_site.registry(tmp_path / "registry.yaml", server)
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY)
        assert finding(db, "lhkpn")["status"] == "missing"
        score_before = rows(db, "SELECT score FROM latest_scores")[0]["score"]

        declarations = tmp_path / "klaim.csv"
        declarations.write_text(
            "agency_id,category_id,url,note\n"
            f"contoh,lhkpn,{server.url('/arsip/dokumen')},tabel baris pertama\n"
            f"contoh,dip,{server.url('/berita/lama')},\n"
            f"contoh,laporan_keuangan,{server.url('/tidak-ada')},\n"
            f"contoh,regulasi,{server.url('/rahasia/lhkpn')},\n", encoding="utf-8")
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY, declarations=str(declarations))
        requested = server.paths()

    lhkpn = finding(db, "lhkpn")
    assert lhkpn == {"status": "found", "status_source": "declared", "detector_status": "missing",
                     "evidence_url": server.url(f"/arsip/lhkpn-{claims_site.YEAR}.pdf")}
    assert rows(db, "SELECT score FROM latest_scores")[0]["score"] > score_before
    assert finding(db, "dip")["status_source"] == "crawler"
    checks = {r["category_id"]: r for r in rows(
        db, "SELECT * FROM declaration_checks WHERE run_id = 2")}
    assert checks["lhkpn"]["confirmed"] is True
    assert checks["lhkpn"]["status_code"] == 200
    assert checks["dip"] == {**checks["dip"], "confirmed": False,
                             "reason": "halaman tidak menyebut kategori ini"}
    assert checks["laporan_keuangan"]["reason"] == "alamat menjawab 404"
    assert checks["regulasi"]["reason"] == "diblokir robots.txt"
    assert "/rahasia/lhkpn" not in requested  # robots.txt obeyed: never fetched
    # The finding points at its declaration; the view lists the open claims with their check.
    declared_id = rows(db, "SELECT declaration_id FROM findings WHERE run_id = 2 AND "
                           "category_id = 'lhkpn'")[0]["declaration_id"]
    assert declared_id == checks["lhkpn"]["declaration_id"]
    claims = {r["category_id"]: r for r in rows(db, open_claims_sql())}
    assert claims["dip"]["confirmed"] is False and claims["lhkpn"]["confirmed"] is True
    assert claims["lhkpn"]["source"] == "file" and claims["lhkpn"]["note"] == "tabel baris pertama"
    # The audit trail: four declarations from the file, one confirmation by the system.
    log = rows(db, "SELECT actor, action, category_id, after FROM audit_log ORDER BY id")
    assert [r["action"] for r in log].count("declaration_added") == 4
    assert {r["actor"] for r in log if r["action"] == "declaration_added"} == {
        f"berkas:{declarations}"}
    confirmed = [r for r in log if r["action"] == "declaration_confirmed"]
    assert [r["category_id"] for r in confirmed] == ["lhkpn"]
    assert json.loads(confirmed[0]["after"])["run_id"] == 2


def open_claims_sql() -> str:
    from warehouse import queries

    return queries.sql("open_claims").replace("$agency_id", "NULL")
