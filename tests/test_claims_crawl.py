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
            f"contoh,regulasi,{server.url('/rahasia/lhkpn')},\n"
            f"contoh,kinerja,{server.url('/arsip/scan-001.pdf')},\n", encoding="utf-8")
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY, declarations=str(declarations))
        requested = server.paths()

    lhkpn = finding(db, "lhkpn")
    assert lhkpn == {"status": "found", "status_source": "declared", "detector_status": "missing",
                     "evidence_url": server.url(f"/arsip/lhkpn-{claims_site.YEAR}.pdf")}
    assert rows(db, "SELECT score FROM latest_scores")[0]["score"] > score_before
    # Its evidence bundle comes from the declared URL's crawl: the page, then the document.
    bundle = rows(db, "SELECT evidence_chain, evidence_status_code, evidence_sha256 FROM findings "
                      "WHERE run_id = 2 AND category_id = 'lhkpn'")[0]
    assert bundle["evidence_chain"] == [server.url("/arsip/dokumen"), lhkpn["evidence_url"]]
    assert bundle["evidence_status_code"] == 200 and len(bundle["evidence_sha256"]) == 64
    assert finding(db, "dip")["status_source"] == "crawler"
    checks = {r["category_id"]: r for r in rows(
        db, "SELECT * FROM declaration_checks WHERE run_id = 2")}
    assert checks["lhkpn"]["confirmed"] is True
    assert checks["lhkpn"]["status_code"] == 200 and len(checks["lhkpn"]["sha256"]) == 64
    assert checks["dip"] == {**checks["dip"], "confirmed": False,
                             "reason": "halaman tidak menyebut kategori ini"}
    assert checks["laporan_keuangan"]["reason"] == "alamat menjawab 404"
    assert checks["regulasi"]["reason"] == "diblokir robots.txt"
    # A declared PDF named scan-001.pdf is read for its first page, which names the category.
    assert checks["kinerja"]["confirmed"] is True, checks["kinerja"]
    assert checks["kinerja"]["content_type"] == "application/pdf"
    assert finding(db, "kinerja")["status_source"] == "declared"
    assert "/rahasia/lhkpn" not in requested  # robots.txt obeyed: never fetched
    # The finding points at its declaration; the view lists the open claims with their check.
    declared_id = rows(db, "SELECT declaration_id FROM findings WHERE run_id = 2 AND "
                           "category_id = 'lhkpn'")[0]["declaration_id"]
    assert declared_id == checks["lhkpn"]["declaration_id"]
    claims = {r["category_id"]: r for r in rows(db, open_claims_sql())}
    assert claims["dip"]["confirmed"] is False and claims["lhkpn"]["confirmed"] is True
    assert claims["lhkpn"]["source"] == "file" and claims["lhkpn"]["note"] == "tabel baris pertama"
    # The audit trail: five declarations from the file, two confirmations by the system.
    log = rows(db, "SELECT actor, action, category_id, after FROM audit_log ORDER BY id")
    assert [r["action"] for r in log].count("declaration_added") == 5
    assert {r["actor"] for r in log if r["action"] == "declaration_added"} == {
        f"berkas:{declarations}"}
    confirmed = [r for r in log if r["action"] == "declaration_confirmed"]
    assert sorted(r["category_id"] for r in confirmed) == ["kinerja", "lhkpn"]
    assert json.loads(confirmed[0]["after"])["run_id"] == 2


def open_claims_sql() -> str:
    from warehouse import queries

    return queries.sql("open_claims").replace("$agency_id", "NULL")


def test_the_scheduled_crawl_reads_the_setting_and_a_bad_file_stores_nothing_of_it(
        prefect_api, tmp_path, fast_settings_file):
    db = tmp_path / "pantau.duckdb"
    declarations = tmp_path / "klaim.yaml"
    settings = tmp_path / "settings.yaml"
    settings.write_text(fast_settings_file.read_text(encoding="utf-8")
                        + f"claims:\n  declarations_file: '{declarations}'\n", encoding="utf-8")
    with claims_site.site() as server:
        registry = claims_site.registry(tmp_path / "registry.yaml", server)
        declarations.write_text(
            "declarations:\n"
            f"  - {{agency_id: contoh, category_id: lhkpn, url: '{server.url('/arsip/dokumen')}'}}\n"
            "  - {agency_id: contoh, category_id: lhkpn, url: 'https://lain.example/x.pdf'}\n",
            encoding="utf-8")
        first = crawl_all(registry=str(registry), db=str(db), settings_file=str(settings),
                          today=TODAY)
        assert first["run_id"] == 1  # the run is stored; the bad file is logged, not recorded
        assert rows(db, "SELECT count(*) AS n FROM declarations")[0]["n"] == 0
        assert finding(db, "lhkpn")["status"] == "missing"
        declarations.write_text(
            "declarations:\n"
            f"  - {{agency_id: contoh, category_id: lhkpn, url: '{server.url('/arsip/dokumen')}'}}\n",
            encoding="utf-8")
        crawl_all(registry=str(registry), db=str(db), settings_file=str(settings), today=TODAY)
    assert finding(db, "lhkpn")["status_source"] == "declared"
    assert rows(db, "SELECT source, declared_by FROM declarations") == [
        {"source": "file", "declared_by": f"berkas:{declarations}"}]


def test_pantau_crawl_declarations_reports_the_checks(prefect_api, tmp_path, fast_settings_file):
    from typer.testing import CliRunner

    from pantau.cli import app

    db = tmp_path / "pantau.duckdb"
    with claims_site.site() as server:
        registry = claims_site.registry(tmp_path / "registry.yaml", server)
        declarations = tmp_path / "klaim.csv"
        declarations.write_text("agency_id,category_id,url,note\n"
                                f"contoh,lhkpn,{server.url('/arsip/dokumen')},\n"
                                f"contoh,dip,{server.url('/berita/lama')},\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["crawl", "--registry", str(registry), "--db", str(db),
                                          "--settings", str(fast_settings_file),
                                          "--declarations", str(declarations)])
    assert result.exit_code == 0, result.output
    assert "Klaim bukti: 2 diperiksa, 1 terverifikasi, 1 belum terverifikasi." in result.output
    assert finding(db, "lhkpn")["status_source"] == "declared"
