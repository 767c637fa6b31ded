"""Follow-up after reminders (the ``reminder_followup``, ``followup_by_agency`` and
``followup_by_category`` views of migration 0009): which reminded categories became found,
when, and whether by the reply-by date; and the PPID Utama's digest naming the late ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.settings import load_settings
from reminders import store
from reminders.model import Delivery
from reminders.policy import plan
from tests import reminders_helpers as h
from warehouse import db, queries

DINKES, DISHUB = h.agency("dinkes"), h.agency("dishub")
T0 = datetime.combine(datetime.now().date() - timedelta(days=30), datetime.min.time()).replace(hour=2)
SETTINGS = load_settings(env={"PANTAU_SMTP_FROM": "pantau@kota.test"})


def remind(path, when: datetime) -> list:
    """Plan the reminders due at ``when`` and log them as sent (the view reads the log)."""
    planned = plan(store.load_snapshot(path), SETTINGS, when.date())
    for message in store.claim(path, planned, when):
        store.record(path, message, Delivery("sent", 1, sent_at=when), when)
    return list(planned.messages)


def test_time_to_fix_share_by_reply_by_and_agencies_that_never_respond(tmp_path):
    path = tmp_path / "pantau.duckdb"
    lacking = {**h.ALL_FOUND, "profil": "missing", "dip": "missing"}
    h.write(path, {h.UTAMA: h.ALL_FOUND, DINKES: lacking,
                   DISHUB: {**h.ALL_FOUND, "sop_ppid": "missing"}}, T0)
    sent = remind(path, T0 + timedelta(hours=1))
    assert sorted(m.agency_id for m in sent) == ["dinkes", "dishub"]
    h.write(path, {h.UTAMA: h.ALL_FOUND, DINKES: {**lacking, "profil": "found"},
                   DISHUB: {**h.ALL_FOUND, "sop_ppid": "missing"}}, T0 + timedelta(days=3))
    h.write(path, {h.UTAMA: h.ALL_FOUND, DINKES: {**lacking, "profil": "found"},
                   DISHUB: {**h.ALL_FOUND, "sop_ppid": "missing"}}, T0 + timedelta(days=20))
    with db.read_only(path) as con:
        rows = {(r[0], r[1]): r[2:] for r in con.execute(
            "SELECT agency_id, category_id, days_to_fix, fixed_by_reply_by, open, reply_by, "
            "fixed_run_id FROM reminder_followup").fetchall()}
        assert rows[("dinkes", "profil")][:3] == (3, True, False)
        assert rows[("dinkes", "profil")][3] == (T0 + timedelta(days=14)).date()
        assert rows[("dinkes", "profil")][4] == 2
        assert rows[("dinkes", "dip")][:3] == (None, False, True)
        assert rows[("dishub", "sop_ppid")][:3] == (None, False, True)
        agencies = {r[0]: r[1:] for r in con.execute(
            "SELECT agency_id, reminders, categories_reminded, fixed, share_fixed_by_reply_by, "
            "median_days_to_fix, open_past_reply_by, never_responded FROM followup_by_agency"
        ).fetchall()}
        assert agencies["dinkes"] == (1, 2, 1, 0.5, 3.0, 1, False)
        assert agencies["dishub"] == (1, 1, 0, 0.0, None, 1, True)
        categories = {r[0]: r[1:] for r in con.execute(
            "SELECT category_id, times_reminded, fixed, share_fixed_by_reply_by "
            "FROM followup_by_category").fetchall()}
        assert categories["profil"] == (1, 1, 1.0)
        opened = queries.run(con, "open_reminders")
    assert sorted(zip(opened["agency_id"], opened["category_id"], strict=True)) == [
        ("dinkes", "dip"), ("dishub", "sop_ppid")]
    later = remind(path, T0 + timedelta(days=21))
    [digest] = [m for m in later if m.kind == "digest"]
    assert digest.agency_id == "utama" and set(digest.about_agencies) == {"dinkes", "dishub"}
    assert "MELEWATI BATAS WAKTU TANGGAPAN" in digest.text
    assert "Daftar Informasi Publik (DIP) (batas" in digest.text
    # The reminders of that week only say what is new: nothing new, yet the interval passed.
    [again] = [m for m in later if m.agency_id == "dinkes" and m.kind == "reminder"]
    assert "Sudah dilengkapi, terima kasih: Profil badan publik" in again.text
