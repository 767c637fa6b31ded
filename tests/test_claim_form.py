"""dashboard.claim_form on a real DuckDB file: who a link lets in, what a submission stores,
and every refusal (audited, nothing else changed). The browser drives the same functions in
tests/test_claims_browser.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import local_now
from core.settings import load_settings
from core.tokens import issue_token
from dashboard import claim_form
from dashboard.claim_form import Entry, FormOff, FormRefused
from scrapers.crawling.guard import AddressGuard, static_resolver
from tests import factories
from warehouse import claims, db, load

SECRET = "kunci-rahasia-uji-klaim"
UTAMA = factories.agency("kota", role="utama")
SITE = "http://127.0.0.1:8123/"
DINKES = type(UTAMA)(id="dinkes", name="Dinas Kesehatan", url=SITE, email="ppid@dinkes.test",
                     role="pelaksana", parent="kota")


@pytest.fixture
def settings():
    return load_settings(env={"PANTAU_CLAIM_SECRET": SECRET})


@pytest.fixture
def path(tmp_path):
    cats = [factories.Cat("lhkpn", name="LHKPN", position=0),
            factories.Cat("dip", name="DIP", position=1)]
    record = factories.run(cats, {UTAMA: {"lhkpn": "found", "dip": "found"},
                                  DINKES: {"lhkpn": "missing", "dip": "found"}})
    file = tmp_path / "pantau.duckdb"
    with db.writing(file) as con:
        load.write_run(con, record)
    return file


def token(settings, agency_id="dinkes", **shift):
    now = local_now(settings) - timedelta(**shift) if shift else local_now(settings)
    return issue_token(SECRET, agency_id, now, settings.claims.token_days)


def state(path):
    with db.read_only(path) as con:
        return {
            "declarations": con.execute("SELECT count(*) FROM declarations").fetchall()[0][0],
            "tokens": con.execute("SELECT count(*) FROM token_uses").fetchall()[0][0],
            "refusals": [r[0] for r in con.execute(
                "SELECT note FROM audit_log WHERE action = 'declaration_refused' ORDER BY id"
            ).fetchall()],
        }


def test_a_valid_link_opens_its_agency_s_form_with_the_missing_categories_first(path, settings):
    access = claim_form.open_form(path, "dinkes", token(settings), settings)
    assert (access.agency_id, access.agency_name, access.agency_url) == ("dinkes", "Dinas Kesehatan", SITE)
    assert [(c.category_id, c.status_word) for c in access.categories] == [
        ("lhkpn", "Tidak ditemukan"), ("dip", "Ditemukan")]
    assert access.expires_text.endswith("WIB")


def test_a_submission_is_stored_once_and_the_token_is_then_spent(path, settings):
    link = token(settings)
    ids = claim_form.submit(path, "dinkes", link, [Entry("lhkpn", f"{SITE}arsip/lhkpn.pdf", "baris 1"),
                                                   Entry("dip")], settings)
    assert len(ids) == 1
    with db.read_only(path) as con:
        (row,) = claims.open_claims(con, "dinkes")
    assert (row["url"], row["note"], row["source"], row["declared_by"], row["confirmed"]) == (
        f"{SITE}arsip/lhkpn.pdf", "baris 1", "form", "opd:dinkes", None)
    before = state(path)
    with pytest.raises(FormRefused) as replay:
        claim_form.submit(path, "dinkes", link, [Entry("dip", f"{SITE}dip")], settings)
    assert "sudah dipakai" in replay.value.messages[0]
    after = state(path)
    assert (after["declarations"], after["tokens"]) == (before["declarations"], before["tokens"]) == (1, 1)
    assert "token replayed" in after["refusals"][-1]


@pytest.mark.parametrize(("make", "agency", "expected"), [
    (lambda s: token(s)[:-2] + "xx", "dinkes", "Tautan tidak sah"),
    (lambda s: token(s).replace(".dinkes.", ".kota."), "dinkes", "Tautan tidak sah"),
    (lambda s: token(s, days=20), "dinkes", "Tautan sudah kedaluwarsa"),
    (lambda s: token(s, agency_id="kota"), "dinkes", "badan publik lain"),
    (lambda s: token(s, agency_id="dinsos"), "dinsos", "tidak terdaftar"),
    (lambda s: "", "dinkes", "hanya dapat dibuka melalui tautan"),
])
def test_a_bad_link_is_refused_audited_and_changes_nothing(path, settings, make, agency, expected):
    link = make(settings)
    with pytest.raises(FormRefused) as refused:
        claim_form.submit(path, agency, link, [Entry("lhkpn", f"{SITE}x.pdf")], settings)
    assert expected in refused.value.messages[0]
    after = state(path)
    assert (after["declarations"], after["tokens"]) == (0, 0)
    assert len(after["refusals"]) == (1 if link else 0)


def test_without_a_secret_the_form_is_off(path):
    with pytest.raises(FormOff) as off:
        claim_form.open_form(path, "dinkes", "anything", load_settings(env={}))
    assert "PANTAU_CLAIM_SECRET" in off.value.messages[0]


@pytest.mark.parametrize(("url", "expected"), [
    ("ftp://127.0.0.1:8123/x.pdf", "bukan alamat http(s)"),
    ("javascript:alert(1)", "bukan alamat http(s)"),
    ("http://127.0.0.2:8123/x.pdf", "bukan situs badan publik ini"),
    ("http://169.254.169.254/latest/meta-data", "bukan situs badan publik ini"),
    (f"{SITE}{'a' * 600}", "lebih dari 500 karakter"),
])
def test_a_url_the_agency_may_not_declare_is_refused_and_audited(path, settings, url, expected):
    with pytest.raises(FormRefused) as refused:
        claim_form.submit(path, "dinkes", token(settings), [Entry("lhkpn", url)], settings)
    assert expected in refused.value.messages[0]
    after = state(path)
    assert (after["declarations"], after["tokens"]) == (0, 0)
    assert expected in after["refusals"][0]


def test_a_name_of_the_agency_s_domain_that_resolves_to_a_private_address_is_refused(path, settings):
    # The agency's site is ppid.kota.test (loopback here); arsip.kota.test is in its domain but
    # resolves to 10.1.2.3: the crawl's guard would refuse it, so the form does.
    resolver = static_resolver({"ppid.kota.test": ["127.0.0.1"], "arsip.kota.test": ["10.1.2.3"],
                                "www.kota.test": ["127.0.0.1"]})
    guard = AddressGuard.for_registry_url("http://ppid.kota.test/", resolver=resolver)

    def refusal(agency_url, url):
        return claims.form_url_refusal("http://ppid.kota.test/", url, settings.crawl, guard)

    with pytest.raises(FormRefused) as refused:
        claim_form.submit(path, "dinkes", token(settings),
                          [Entry("lhkpn", "http://arsip.kota.test/lhkpn.pdf")], settings,
                          url_refusal=refusal)
    assert refused.value.messages == ["LHKPN: alamat tidak diizinkan: alamat privat"]
    assert state(path)["declarations"] == 0
    ids = claim_form.submit(path, "dinkes", token(settings),
                            [Entry("lhkpn", "http://www.kota.test/lhkpn.pdf")], settings,
                            url_refusal=refusal)
    assert len(ids) == 1


def test_an_empty_form_and_overlong_note_are_refused(path, settings):
    with pytest.raises(FormRefused, match="sedikitnya satu kategori"):
        claim_form.submit(path, "dinkes", token(settings), [Entry("lhkpn"), Entry("dip")], settings)
    with pytest.raises(FormRefused) as refused:
        claim_form.submit(path, "dinkes", token(settings),
                          [Entry("lhkpn", f"{SITE}a.pdf", "n" * 501)], settings)
    assert "keterangan lebih dari 500 karakter" in refused.value.messages[0]


def hold_file(path, seconds):
    """Another process (standing in for the crawl) holding the database file for writing."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(float(sys.argv[2])); con.close()", str(path), str(seconds)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_submission_waits_for_a_short_crawl_write_and_gives_up_on_a_long_one(path, settings):
    import time

    link = token(settings)
    with db.read_only(path):
        pass  # migrated already by the fixture's write
    holder = hold_file(path, 2.0)
    started = time.monotonic()
    ids = claim_form.submit(path, "dinkes", link, [Entry("lhkpn", f"{SITE}a.pdf")], settings)
    assert len(ids) == 1 and 1.0 < time.monotonic() - started < claim_form.WRITE_WAIT + 2
    holder.wait()

    second = token(settings)
    holder = hold_file(path, claim_form.WRITE_WAIT + 6)
    try:
        with pytest.raises(claim_form.FormRefused) as busy:
            claim_form.submit(path, "dinkes", second, [Entry("dip", f"{SITE}dip")], settings)
    finally:
        holder.wait()
    assert "tautan belum terpakai" in busy.value.messages[0]
    after = state(path)
    assert (after["declarations"], after["tokens"]) == (1, 1)  # the second token not spent
    assert len(claim_form.submit(path, "dinkes", second, [Entry("dip", f"{SITE}dip")], settings)) == 1
