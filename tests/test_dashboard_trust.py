"""The dashboard's trust pages (issue 13) on a real DuckDB file: Perubahan shows confirmed
changes by default, grouped by agency with the evidence before and after; a held drop says
"belum dikonfirmasi"; Kesehatan Situs shows "situs berubah" and the unreachable sites with the
age of their last known findings; Tindak Lanjut shows time to fix and who never responds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scrapers.detection.health import SiteCounts, SiteHealth
from scrapers.model import Finding
from tests import reminders_helpers as h
from tests.test_dashboard import open_app
from warehouse import db, load

T1 = datetime.combine(datetime.now().date() - timedelta(days=20), datetime.min.time())
T2 = T1 + timedelta(days=13)
DINKES, BAPPEDA, DISHUB = h.agency("dinkes"), h.agency("bappeda"), h.agency("dishub")


def finding(agency, cat, status, **kw) -> Finding:
    url = f"{agency.url}dokumen/{cat}.pdf" if status in ("found", "stale") else None
    return Finding(category_id=cat, status=status, evidence_url=kw.pop("evidence_url", url),
                   evidence_text=f"Dokumen {cat}" if url else None, **kw)


def outcome(agency, findings, when, health=None) -> load.AgencyOutcome:
    return load.AgencyOutcome(agency=agency, findings=findings, checked_at=when, health=health)


@pytest.fixture
def trust_db(tmp_path):
    path = tmp_path / "trust.duckdb"
    cats = [c.id for c in h.CATS]
    run1 = [
        outcome(h.UTAMA, [finding(h.UTAMA, c, "found") for c in cats], T1),
        outcome(DINKES, [finding(DINKES, c, "missing" if c == "lhkpn" else "found") for c in cats], T1),
        outcome(BAPPEDA, [finding(BAPPEDA, c, "found") for c in cats], T1),
        outcome(DISHUB, [finding(DISHUB, c, "missing" if c == "sop_ppid" else "found") for c in cats], T1),
    ]
    old_dip = f"{DINKES.url}dokumen/dip.pdf"
    changed = SiteHealth(counts=SiteCounts(1, 0, 0, "laravel"), falls=("documents",),
                         evidence_checked=4, evidence_alive=4, platform_before="wordpress",
                         changed=True, note="platform berganti: wordpress → laravel")
    run2 = [
        outcome(h.UTAMA, [finding(h.UTAMA, c, "found") for c in cats], T2),
        outcome(DINKES, [
            finding(DINKES, "profil", "missing", drop_checks=2),
            finding(DINKES, "lhkpn", "found"),
            Finding("dip", "found", evidence_url=old_dip, evidence_text="Dokumen dip",
                    detector_status="missing", confirmed=False, drop_checks=1,
                    held_reason="unconfirmed"),
            finding(DINKES, "sop_ppid", "found"),
        ], T2),
        outcome(BAPPEDA, [Finding(c, "found", evidence_url=f"{BAPPEDA.url}dokumen/{c}.pdf",
                                  detector_status="missing", confirmed=False,
                                  held_reason="site_changed") for c in cats], T2, changed),
        outcome(DISHUB, [Finding(c, "unreachable") for c in cats], T2),
    ]
    with db.writing(path) as con:
        for outcomes, when in ((run1, T1), (run2, T2)):
            load.write_run(con, load.RunRecord(started_at=when, finished_at=when,
                                               categories=h.CATS, outcomes=outcomes))
        sent = T1 + timedelta(hours=1)
        con.executemany(
            "INSERT INTO reminders (agency_id, run_id, kind, channel, recipients, categories,"
            " status, attempts, created_at, sent_at, reply_by)"
            " VALUES (?, 1, 'reminder', 'email', ?, ?, 'sent', 1, ?, ?, ?)",
            [(a.id, a.email, [c], sent, sent, (sent + timedelta(days=14)).date())
             for a, c in ((DINKES, "lhkpn"), (DISHUB, "sop_ppid"))])
    return path


def test_changes_are_confirmed_only_by_default_grouped_by_agency_with_evidence(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "perubahan")
    titles = [e.label for e in at.expander]
    assert titles == [f"{DINKES.name} (2)", f"{DISHUB.name} (4)"]
    dinkes = at.expander[0].dataframe[0].value.set_index("category_name")
    assert dinkes.loc["Profil badan publik", "change_label"] == "Baru hilang"
    assert dinkes.loc["Profil badan publik", "from_evidence_link"] == f"{DINKES.url}dokumen/profil.pdf"
    assert dinkes.loc["Laporan harta kekayaan pejabat (LHKPN)", "to_evidence_link"] == (
        f"{DINKES.url}dokumen/lhkpn.pdf")
    assert any("belum dikonfirmasi atau ditahan tidak ditampilkan" in c.value for c in at.caption)
    at.toggle[0].set_value(True).run()
    titles = [e.label for e in at.expander]
    assert f"{BAPPEDA.name} (4)" in titles and f"{DINKES.name} (3)" in titles
    dinkes = at.expander[titles.index(f"{DINKES.name} (3)")].dataframe[0].value
    dip = dinkes.set_index("category_name").loc["Daftar Informasi Publik (DIP)"]
    assert dip["change_label"] == "Penurunan belum dikonfirmasi"
    assert dip["to_label"] == "Ditemukan (belum dikonfirmasi)"


def test_agency_page_marks_a_held_drop_as_unconfirmed(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "badan_publik", agency="dinkes")
    shown = {label for frame in at.dataframe for label in frame.value["status_label"]}
    assert "Ditemukan (belum dikonfirmasi)" in shown and "Tidak ditemukan" in shown


def test_health_page_shows_site_changes_and_last_known_age(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "kesehatan")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Situs berubah"] == "1" and metrics["Tidak terjangkau"] == "1"
    assert any(BAPPEDA.name in w.value and "wordpress → laravel" in w.value for w in at.warning)
    down = at.dataframe[0].value
    assert list(down["name"]) == [DISHUB.name]
    assert down["last_seen_label"].iloc[0] == "terakhir terlihat 20 hari lalu"


def test_followup_page_shows_time_to_fix_and_who_never_responds(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "tindak_lanjut")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kategori diingatkan"] == "2" and metrics["Sudah dilengkapi"] == "1"
    assert metrics["Dilengkapi sebelum batas waktu"] == "50%"
    assert metrics["Tidak pernah menanggapi"] == "1"
    assert any(DISHUB.name in w.value for w in at.warning)
    agencies = at.dataframe[0].value.set_index("name")
    assert agencies.loc[DINKES.name, "median_days_to_fix"] == 13


def test_agency_page_of_an_unreachable_site_shows_its_last_known_findings(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "badan_publik", agency="dishub")
    assert any("tidak terjangkau" in w.value for w in at.warning)
    assert any(s.value == "Temuan terakhir yang diketahui" for s in at.subheader)
    assert any(c.value.startswith("Terakhir terlihat 20 hari lalu") and "putaran #1" in c.value
               for c in at.caption)
    known = at.dataframe[0].value  # the first table on the page: the last known findings
    shown = dict(zip(known["category_name"], known["status_label"], strict=True))
    assert len(shown) == len(h.CATS) and shown["SOP PPID"] == "Tidak ditemukan"
    assert set(shown.values()) == {"Ditemukan", "Tidak ditemukan"}


def test_agency_page_of_a_reachable_site_has_no_last_known_section(trust_db, monkeypatch):
    at = open_app(trust_db, monkeypatch, "badan_publik", agency="dinkes")
    assert not any(s.value == "Temuan terakhir yang diketahui" for s in at.subheader)
