"""warehouse.claims: the declarations file recorded (unchanged rows not again, changed ones
replaced, removed ones withdrawn), form declarations with their token, all audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.declarations import Declaration
from scrapers.detection.declared import DeclarationCheck
from warehouse import claims, db, queries

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LHKPN = Declaration("dinkes", "lhkpn", "https://dinkes.contoh.go.id/lhkpn.pdf", "baris 1")
DIP = Declaration("dinkes", "dip", "https://dinkes.contoh.go.id/dip", "")


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "pantau.duckdb")
    yield connection
    connection.close()


def declarations(con):
    return con.execute("SELECT agency_id, category_id, url, note, source, declared_by, "
                       "withdrawn_at IS NULL AS open FROM declarations ORDER BY id").fetchall()


def actions(con):
    return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id").fetchall()]


def test_the_file_is_recorded_once_and_changes_replace_or_withdraw(con):
    first = claims.record_file_declarations(con, [LHKPN, DIP], "klaim.csv", AT)
    assert (first.added, first.unchanged) == (2, 0)
    again = claims.record_file_declarations(con, [LHKPN, DIP], "klaim.csv", AT + timedelta(days=7))
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 2)
    assert len(declarations(con)) == 2
    moved = Declaration("dinkes", "lhkpn", "https://dinkes.contoh.go.id/baru.pdf", "baris 1")
    third = claims.record_file_declarations(con, [moved], "klaim.csv", AT + timedelta(days=14))
    assert (third.replaced, third.withdrawn) == (1, 1)
    assert declarations(con) == [
        ("dinkes", "lhkpn", LHKPN.url, "baris 1", "file", "berkas:klaim.csv", False),
        ("dinkes", "dip", DIP.url, None, "file", "berkas:klaim.csv", False),
        ("dinkes", "lhkpn", moved.url, "baris 1", "file", "berkas:klaim.csv", True),
    ]
    assert actions(con) == ["declaration_added", "declaration_added", "declaration_replaced",
                            "declaration_withdrawn"]
    before, after = con.execute("SELECT before, after FROM audit_log WHERE action = "
                                "'declaration_replaced'").fetchall()[0]
    assert json.loads(before)["url"] == LHKPN.url and json.loads(after)["url"] == moved.url


def test_a_form_declaration_spends_its_token_and_is_not_undone_by_an_unchanged_file(con):
    claims.record_file_declarations(con, [LHKPN], "klaim.csv", AT)
    from_form = Declaration("dinkes", "lhkpn", "https://dinkes.contoh.go.id/form.pdf", "dari OPD")
    (new_id,) = claims.declare_from_form(con, agency_id="dinkes", token_id="t1",
                                         declarations=[from_form], at=AT + timedelta(hours=1))
    assert claims.token_used(con, "t1")
    with pytest.raises(claims.TokenSpent):
        claims.declare_from_form(con, agency_id="dinkes", token_id="t1",
                                 declarations=[DIP], at=AT + timedelta(hours=2))
    claims.record_file_declarations(con, [LHKPN], "klaim.csv", AT + timedelta(days=7))
    open_rows = [r for r in declarations(con) if r[-1]]
    assert open_rows == [("dinkes", "lhkpn", from_form.url, "dari OPD", "form", "opd:dinkes", True)]
    assert claims.open_declarations(con)["dinkes"][0].declaration_id == new_id
    assert actions(con) == ["declaration_added", "declaration_replaced"]


def test_a_refusal_is_only_an_audit_row(con):
    claims.record_refusal(con, actor="opd:dinkes", at=AT, reason="alamat tidak diizinkan",
                          agency_id="dinkes", category_id="lhkpn", url="http://10.0.0.1/")
    assert declarations(con) == []
    (row,) = queries.records(con, "audit_log", agency_id="dinkes", limit=5)
    assert (row["action"], row["note"]) == ("declaration_refused", "alamat tidak diizinkan")


def test_a_change_of_confirmation_is_audited_once(con):
    (lhkpn_id,) = claims.declare_from_form(con, agency_id="dinkes", token_id="t1",
                                           declarations=[LHKPN], at=AT)

    def check(run_id, confirmed):
        item = DeclarationCheck(lhkpn_id, "dinkes", "lhkpn", LHKPN.url, confirmed,
                                "ditemukan" if confirmed else "alamat menjawab 404", 200)
        added = claims.audit_check_changes(con, [item], run_id, AT)
        con.register("r", __import__("pyarrow").Table.from_pylist(
            claims.check_rows(run_id, [item], AT)))
        con.execute("INSERT INTO declaration_checks SELECT * FROM r")
        con.unregister("r")
        return added

    assert [check(1, False), check(2, True), check(3, True), check(4, False)] == [0, 1, 0, 1]
    assert actions(con)[-2:] == ["declaration_confirmed", "declaration_unconfirmed"]


def test_form_url_refusal_uses_the_crawler_s_rules():
    from core.settings import CrawlSettings
    from scrapers.crawling.guard import AddressGuard, static_resolver

    resolver = static_resolver({"ppid.kota.test": ["127.0.0.1"], "arsip.kota.test": ["10.1.2.3"],
                                "drive.google.com": ["142.250.1.1"]})
    guard = AddressGuard.for_registry_url("http://ppid.kota.test/", resolver=resolver)
    settings = CrawlSettings()

    def refusal(url):
        return claims.form_url_refusal("http://ppid.kota.test/", url, settings, guard)

    assert refusal("http://ppid.kota.test/lhkpn.pdf") is None
    assert refusal("https://drive.google.com/file/d/1AbCdEfGhIjK/view") is None
    assert refusal("http://arsip.kota.test/x.pdf") == "alamat tidak diizinkan: alamat privat"
    assert refusal("ftp://ppid.kota.test/x") == "alamat tidak diizinkan: bukan alamat http(s)"
    assert "bukan situs badan publik ini" in refusal("http://lain.test/x.pdf")
    assert "bukan situs badan publik ini" in refusal("http://169.254.169.254/latest")
    assert refusal("http://tidak-ada.kota.test/x").startswith("alamat tidak ditemukan")
