"""The reminder rules and the rendering, as pure functions over hand-made snapshots."""

import itertools
from datetime import UTC, date, datetime

import pytest

from core.settings import load_settings
from reminders.compose import (
    Composer,
    TemplateConfigError,
    angka,
    email_message,
    expected_year,
    safe_href,
    tanggal,
)
from reminders.model import (
    APPRISE,
    DIGEST,
    EMAIL,
    REMINDER,
    AgencyState,
    Gap,
    LogEntry,
    Snapshot,
)
from reminders.policy import NO_APPRISE, NO_EMAIL, UNREACHABLE, plan

TODAY = date(2026, 11, 23)
SETTINGS = load_settings(env={"PANTAU_SMTP_FROM": "pantau@kota.test",
                              "PANTAU_DASHBOARD_URL": "https://pantau.kota.test/"})


def gap(cat, status="missing", **kw):
    return Gap(category_id=cat, group="berkala", name=f"Kategori {cat}",
               legal_basis=f"Perki 1/2021 ({cat})", freshness=kw.pop("freshness", "none"),
               status=status, **kw)


def state(agency_id, gaps=(), *, run_id=5, score=50.0, role="pelaksana", parent="utama",
          email=None, reachable=True, name=None):
    return AgencyState(
        id=agency_id, name=name or f"Dinas {agency_id}", role=role,
        email=f"ppid@{agency_id}.test" if email is None else email,
        parent=parent if role == "pelaksana" else "", url=f"http://{agency_id}.test/",
        run_id=run_id, reachable=reachable, score=score if reachable else None,
        band="Kurang Informatif" if reachable else None, checked_at=datetime(2026, 11, 23, 2),
        gaps=tuple(gaps))


UTAMA = state("utama", role="utama", score=100.0, name="Diskominfo Kota")


def snap(*agencies, log=()):
    return Snapshot(agencies={a.id: a for a in agencies}, log=tuple(log))


ROW_IDS = itertools.count(1)


def sent(agency_id, run_id, categories, score, when, kind=REMINDER, channel=EMAIL):
    row_id = next(ROW_IDS)
    return LogEntry(id=row_id, agency_id=agency_id, run_id=run_id, kind=kind, channel=channel,
                    status="sent", categories=tuple(categories), score=score, sent_at=when,
                    created_at=when, message_id=f"<m{row_id}@kota.test>")


def test_one_reminder_per_lacking_agency_none_for_the_compliant():
    p = plan(snap(UTAMA, state("dinkes", [gap("profil"), gap("dip", "broken")]),
                  state("dishub", [])), SETTINGS, TODAY)
    assert [(m.agency_id, m.kind, m.channel) for m in p.messages] == [("dinkes", REMINDER, EMAIL)]
    m = p.messages[0]
    assert m.to == ("ppid@dinkes.test",) and m.cc == () and not m.escalated
    assert m.categories == ("profil", "dip")
    assert m.reply_to == "ppid@utama.test"
    assert p.skips == ()


def test_unreachable_agencies_get_no_reminder_and_their_utama_one_digest():
    p = plan(snap(UTAMA, state("dinkes", reachable=False, run_id=7),
                  state("dishub", reachable=False, run_id=6),
                  state("other", reachable=False, parent="utama2"),
                  state("utama2", role="utama", email="")),
             SETTINGS, TODAY)
    assert [(m.agency_id, m.kind, m.run_id, m.about_agencies) for m in p.messages] == [
        ("utama", DIGEST, 7, ("dinkes", "dishub"))]
    assert "2 situs PPID tidak terjangkau" in p.messages[0].subject
    assert p.messages[0].to == ("ppid@utama.test",)
    reasons = {(s.agency_id, s.kind): s.reason for s in p.skips}
    assert reasons[("dinkes", REMINDER)] == UNREACHABLE
    assert reasons[("utama2", DIGEST)] == NO_EMAIL  # its digest has nowhere to go


def test_agencies_without_email_are_named_in_their_utama_digest():
    p = plan(snap(UTAMA, state("dishub", [gap("profil"), gap("dip")], email=""),
                  state("dinkes", [gap("profil")]), state("quiet", [], email="")),
             SETTINGS, TODAY)
    digest = next(m for m in p.messages if m.kind == DIGEST)
    assert digest.about_agencies == ("dishub",)  # "quiet" has nothing to upload
    assert digest.to == ("ppid@utama.test",)
    assert "1 badan publik tanpa e-mail tidak menerima pengingat" in digest.subject
    assert "situs PPID tidak dapat dijangkau" not in digest.subject
    assert "Dinas dishub: 2 kategori perlu dilengkapi" in digest.text
    assert "Dinas dishub" in digest.html and "tidak dapat dijangkau" not in digest.text
    reasons = {(s.agency_id, s.kind): s.reason for s in p.skips}
    assert reasons[("dishub", REMINDER)] == NO_EMAIL  # and its own reminder is logged skipped


def test_a_message_logged_sent_is_never_planned_again():
    dinkes = state("dinkes", [gap("profil")], run_id=5)
    log = [sent("dinkes", 5, ["profil"], 50.0, datetime(2026, 11, 1))]
    p = plan(snap(UTAMA, dinkes, log=log), SETTINGS, date(2027, 1, 1))
    assert p.messages == () and p.already_sent == 1


def test_at_most_one_reminder_in_min_interval_days_counted_in_calendar_days():
    dinkes = state("dinkes", [gap("profil")], run_id=6)
    log = [sent("dinkes", 5, ["profil"], 50.0, datetime(2026, 11, 16, 2, 30))]
    p = plan(snap(UTAMA, dinkes, log=log), SETTINGS, date(2026, 11, 22))
    assert p.messages == ()
    assert [s.reason for s in p.skips] == [
        "sudah diingatkan pada 16 November 2026; berikutnya paling cepat 23 November 2026 "
        "(min_interval_days=7)"]
    # Monday 02:05 a week later is 7 calendar days on, even if fewer than 7×24 hours.
    p = plan(snap(UTAMA, dinkes, log=log), SETTINGS, date(2026, 11, 23))
    assert [m.agency_id for m in p.messages] == ["dinkes"]
    off = SETTINGS.replace("reminders", min_interval_days=0)
    assert len(plan(snap(UTAMA, dinkes, log=log), off, date(2026, 11, 17)).messages) == 1


def test_a_skip_already_logged_is_not_logged_again():
    nomail = state("nomail", [gap("profil")], email="")
    p = plan(snap(UTAMA, nomail), SETTINGS, TODAY)
    assert [(s.reason, s.new) for s in p.skips] == [(NO_EMAIL, True)]
    logged = LogEntry(id=1, agency_id="nomail", run_id=5, kind=REMINDER, channel=EMAIL,
                      status="skipped", reason=NO_EMAIL)
    p = plan(snap(UTAMA, nomail, log=[logged]), SETTINGS, TODAY)
    assert [(s.reason, s.new) for s in p.skips] == [(NO_EMAIL, False)]


def escalation_log(scores, categories=("profil", "dip")):
    return [sent("dinkes", run, categories, score, datetime(2026, 10, 5 + 7 * n))
            for n, (run, score) in enumerate(zip((1, 2, 3), scores, strict=True))]


def test_after_k_reminders_without_improvement_the_utama_is_copied():
    dinkes = state("dinkes", [gap("profil"), gap("dip")], run_id=4, score=40.0)
    p = plan(snap(UTAMA, dinkes, log=escalation_log([40.0, 40.0, 40.0])), SETTINGS, TODAY)
    m = p.messages[0]
    assert m.escalated and m.cc == ("ppid@utama.test",)
    assert m.subject.startswith("[Eskalasi]")
    assert "ditembuskan kepada PPID Utama karena sudah 3 kali diingatkan" in m.text
    assert "5 Oktober 2026" in m.text
    # Only two reminders so far: no copy.
    p = plan(snap(UTAMA, dinkes, log=escalation_log([40.0, 40.0, 40.0])[1:]), SETTINGS, TODAY)
    assert not p.messages[0].escalated and p.messages[0].cc == ()


def test_same_lacking_set_escalates_even_if_the_score_rose():
    # broken → stale raises the score but the same categories are still lacking
    dinkes = state("dinkes", [gap("profil"), gap("dip", "stale")], run_id=4, score=55.0)
    p = plan(snap(UTAMA, dinkes, log=escalation_log([40.0, 45.0, 50.0])), SETTINGS, TODAY)
    assert p.messages[0].cc == ("ppid@utama.test",)


def test_improvement_since_the_first_of_the_k_reminders_means_no_copy():
    dinkes = state("dinkes", [gap("profil")], run_id=4, score=60.0)
    p = plan(snap(UTAMA, dinkes, log=escalation_log([40.0, 40.0, 40.0])), SETTINGS, TODAY)
    assert not p.messages[0].escalated and p.messages[0].cc == ()


def test_escalation_can_be_turned_off_and_needs_a_parent_with_email():
    dinkes = state("dinkes", [gap("profil"), gap("dip")], run_id=4, score=40.0)
    log = escalation_log([40.0, 40.0, 40.0])
    off = SETTINGS.replace("reminders", escalate_after=0)
    assert plan(snap(UTAMA, dinkes, log=log), off, TODAY).messages[0].cc == ()
    no_mail_utama = state("utama", role="utama", email="")
    m = plan(snap(no_mail_utama, dinkes, log=log), SETTINGS, TODAY).messages[0]
    assert m.cc == () and not m.escalated


def test_a_pelaksana_without_parent_reports_to_the_only_utama():
    orphan = state("orphan", [gap("profil")], parent="")
    m = plan(snap(UTAMA, orphan), SETTINGS, TODAY).messages[0]
    assert "Diskominfo Kota (ppid@utama.test)" in m.text
    contact = SETTINGS.replace("reminders", utama_contact="Bidang IKP, WA 0812-0000-0000")
    m = plan(snap(UTAMA, orphan), contact, TODAY).messages[0]
    assert "PPID Utama: Bidang IKP, WA 0812-0000-0000." in m.text


def test_failed_and_pending_rows_of_the_current_run_are_retried_with_their_message_id():
    dinkes = state("dinkes", [gap("profil")], run_id=5)
    for status in ("failed", "pending"):
        row = LogEntry(id=9, agency_id="dinkes", run_id=5, kind=REMINDER, channel=EMAIL,
                       status=status, message_id="<keep@kota.test>", attempts=3)
        # a retry ignores the interval: the earlier attempt never arrived
        recent = sent("dinkes", 4, ["profil"], 50.0, datetime(2026, 11, 22))
        m = plan(snap(UTAMA, dinkes, log=[recent, row]), SETTINGS, TODAY).messages[0]
        assert (m.row_id, m.retry_of, m.message_id) == (9, status, "<keep@kota.test>")
    # A failed row of an older run is history: the new run gets its own message.
    old = LogEntry(id=9, agency_id="dinkes", run_id=4, kind=REMINDER, channel=EMAIL,
                   status="failed", message_id="<old@kota.test>")
    m = plan(snap(UTAMA, dinkes, log=[old]), SETTINGS, TODAY).messages[0]
    assert m.row_id is None and m.message_id != "<old@kota.test>"


def test_apprise_copies_are_planned_only_when_apprise_is_importable():
    urls = SETTINGS.replace("reminders", apprise_urls=("tgram://123:secret/456",))
    dinkes = state("dinkes", [gap("profil")])
    p = plan(snap(UTAMA, dinkes), urls, TODAY, apprise_ready=True)
    assert [(m.channel, m.to) for m in p.messages] == [(EMAIL, ("ppid@dinkes.test",)),
                                                       (APPRISE, ("apprise:tgram",))]
    p = plan(snap(UTAMA, dinkes), urls, TODAY, apprise_ready=False)
    assert [m.channel for m in p.messages] == [EMAIL]
    assert [(s.channel, s.reason) for s in p.skips] == [(APPRISE, NO_APPRISE)]


def test_the_message_lists_every_gap_with_legal_basis_hint_dead_link_and_years():
    dinkes = state("dinkes", [
        gap("profil", upload_hint="Unggah profil, visi-misi, tugas dan fungsi."),
        gap("dip", "broken", evidence_url="http://dinkes.test/dip-2025.pdf"),
        gap("lhkpn", "stale", freshness="annual", document_year=2022,
            evidence_url="http://dinkes.test/lhkpn-2022.pdf"),
    ], score=37.5)
    m = plan(snap(UTAMA, dinkes), SETTINGS, TODAY).messages[0]
    assert m.subject == ("[Pantau PPID] Dinas dinkes: 3 informasi publik perlu dilengkapi "
                         "(skor 37,5, Kurang Informatif)")
    for part in (m.text, m.html):
        assert "Kategori profil" in part and "Perki 1/2021 (profil)" in part
        assert "Unggah profil, visi-misi, tugas dan fungsi." in part
        assert "http://dinkes.test/dip-2025.pdf" in part
        assert "tahun 2022" in part and "tahun 2025" in part  # found 2022, expected 2026 − 1
        assert "7 Desember 2026" in part  # reply by: 14 days after 23 November
        assert "https://pantau.kota.test/badan-publik?agency=dinkes" in part
        assert "37,5" in part and "Kurang Informatif" in part
    assert '<a href="http://dinkes.test/dip-2025.pdf">' in m.html


def test_html_escapes_crawled_text_and_never_links_javascript():
    dinkes = state("dinkes", [
        gap("dip", "stale", freshness="annual", document_year=2020,
            evidence_url="javascript:alert(1)", evidence_text="<script>alert('x')</script>"),
        gap("profil", "broken", evidence_url='http://x.test/"><script>bad()</script>'),
    ], name="Dinas <b>Kesehatan</b>")
    m = plan(snap(UTAMA, dinkes), SETTINGS, TODAY).messages[0]
    assert "<script>" not in m.html and "&lt;script&gt;" in m.html
    assert "<b>Kesehatan</b>" not in m.html and "&lt;b&gt;Kesehatan&lt;/b&gt;" in m.html
    assert 'href="javascript:' not in m.html
    assert 'href="http://x.test/&#34;&gt;&lt;script&gt;' in m.html
    mail = email_message(m, "pantau@kota.test")
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_a_city_overrides_one_template_and_keeps_the_others(tmp_path):
    (tmp_path / "reminder_subject.txt.j2").write_text(
        "Pengingat PPID Kota Contoh — {{ agency.name }} ({{ gaps|length }})\n")
    custom = SETTINGS.replace("reminders", templates_dir=str(tmp_path))
    m = plan(snap(UTAMA, state("dinkes", [gap("profil")])), custom, TODAY).messages[0]
    assert m.subject == "Pengingat PPID Kota Contoh — Dinas dinkes (1)"
    assert "TIDAK DITEMUKAN (1)" in m.text  # bundled body
    (tmp_path / "reminder.txt.j2").write_text("{{ no_such_variable }}")
    with pytest.raises(Exception, match="no_such_variable"):
        plan(snap(UTAMA, state("dinkes", [gap("profil")])), custom, TODAY)
    with pytest.raises(TemplateConfigError):
        Composer(SETTINGS.replace("reminders", templates_dir=str(tmp_path / "nope")))


def test_small_formatters():
    assert tanggal(date(2026, 1, 5)) == "5 Januari 2026"
    assert angka(87.5) == "87,5" and angka(100.0) == "100" and angka(None) == "-"
    assert safe_href("https://a.test/x") == "https://a.test/x"
    assert safe_href("javascript:alert(1)") is None and safe_href("mailto:a@b") is None
    assert expected_year("annual", date(2026, 3, 1)) == 2025
    assert expected_year("semester", date(2026, 3, 1)) == 2024  # 2025's report is due by 31 March
    assert expected_year("semester", date(2026, 8, 1)) == 2025  # the 2025 report, due by March
    assert expected_year("semester", date(2027, 4, 1)) == 2026
    assert expected_year("annual", date(2027, 3, 1), "kinerja") == 2025  # LKjIP 2026 due by 31 March
    assert expected_year("annual", date(2027, 3, 1), "dip") == 2026
    assert expected_year("none", date(2026, 8, 1)) is None


# --- issue 13: state changes only, what is new, follow-up in the digest -------------------

def test_within_the_interval_only_a_newly_lacking_category_sends_and_the_message_says_what_is_new():
    log = [sent("dinkes", 5, ["profil", "dip"], 50.0, datetime(2026, 11, 20, 2, 30))]
    unchanged = state("dinkes", [gap("profil"), gap("dip")], run_id=6)
    p = plan(snap(UTAMA, unchanged, log=log), SETTINGS, TODAY)
    assert p.messages == () and [s.reason.split(";")[0] for s in p.skips] == [
        "sudah diingatkan pada 20 November 2026"]
    fewer = state("dinkes", [gap("profil")], run_id=6)
    assert plan(snap(UTAMA, fewer, log=log), SETTINGS, TODAY).messages == ()
    grew = state("dinkes", [gap("profil"), gap("sop_ppid")], run_id=6)
    [m] = plan(snap(UTAMA, grew, log=log), SETTINGS, TODAY,
               composer=None).messages
    assert "SEJAK PESAN KAMI 20 NOVEMBER 2026" in m.text
    assert "Baru belum lengkap: Kategori sop_ppid" in m.text
    assert "- Kategori sop_ppid [BARU]" in m.text and "- Kategori profil\n" in m.text
    assert "Sudah dilengkapi, terima kasih: dip" in m.text  # no names in this snapshot: the id
    assert "(baru)" in m.html
    assert m.reply_by == date(2026, 12, 7)


def test_the_digest_names_long_unreachable_sites_and_agencies_past_their_reply_by_date():
    from reminders.model import Overdue

    down = AgencyState(
        id="dishub", name="Dinas Perhubungan", role="pelaksana", email="ppid@dishub.test",
        parent="utama", url="http://dishub.test/", run_id=7, reachable=False, score=None,
        band=None, checked_at=datetime(2026, 11, 23, 2), last_seen_at=datetime(2026, 9, 28, 2),
        unreachable_since=datetime(2026, 10, 5, 2))
    late = state("dinkes", [gap("profil")], run_id=7)
    items = {"dinkes": (Overdue("profil", "Profil badan publik", date(2026, 11, 16)),
                        Overdue("dip", "DIP", date(2026, 11, 30)))}
    snapshot = Snapshot(agencies={a.id: a for a in (UTAMA, down, late)},
                        open_reminders=items)
    p = plan(snapshot, SETTINGS, TODAY)
    [digest] = [m for m in p.messages if m.kind == DIGEST]
    assert digest.about_agencies == ("dishub", "dinkes")
    assert "LAMA TIDAK TERJANGKAU (4 minggu atau lebih)" in digest.text
    assert "Tidak terjangkau sekitar 7 minggu; terakhir terlihat 28 September 2026 (56 hari lalu)" in digest.text
    assert "MELEWATI BATAS WAKTU TANGGAPAN" in digest.text
    assert "Profil badan publik (batas 16 November 2026)" in digest.text
    assert "DIP" not in digest.text.split("MELEWATI")[1]  # its reply-by date is still ahead
    assert digest.subject == ("[Pantau PPID] 1 situs PPID tidak terjangkau; 1 badan publik "
                              "melewati batas waktu tanggapan")
    # The same digest within the interval is not sent again; a newly named agency is, marked.
    log = [LogEntry(id=99, agency_id="utama", run_id=6, kind=DIGEST, channel=EMAIL,
                    status="sent", about_agencies=("dishub", "dinkes"),
                    sent_at=datetime(2026, 11, 20), created_at=datetime(2026, 11, 20))]
    again = Snapshot(agencies=snapshot.agencies, open_reminders=items, log=tuple(log))
    assert [m for m in plan(again, SETTINGS, TODAY).messages if m.kind == DIGEST] == []
    other = state("dlh", [gap("profil")], run_id=7)
    more = {**items, "dlh": (Overdue("profil", "Profil badan publik", date(2026, 11, 16)),)}
    grown = Snapshot(agencies={**snapshot.agencies, "dlh": other}, open_reminders=more,
                     log=tuple(log))
    [digest] = [m for m in plan(grown, SETTINGS, TODAY).messages if m.kind == DIGEST]
    assert "Sejak ringkasan kami 20 November 2026" in digest.text
    assert "- Dinas dlh [BARU]" in digest.text and "- Dinas dinkes\n" in digest.text


def test_the_digest_counts_days_in_the_schedule_zone_not_the_machine_zone():
    """The warehouse hands back times in UTC; a site last seen at 20:00 UTC on 21 November
    was seen on 22 November in WIB, one day before TODAY, not two."""
    utc = UTC
    down = AgencyState(
        id="dishub", name="Dinas Perhubungan", role="pelaksana", email="ppid@dishub.test",
        parent="utama", url="http://dishub.test/", run_id=7, reachable=False, score=None,
        band=None, checked_at=datetime(2026, 11, 22, 20, tzinfo=utc),
        last_seen_at=datetime(2026, 10, 18, 20, tzinfo=utc),
        unreachable_since=datetime(2026, 10, 18, 21, tzinfo=utc))
    snapshot = Snapshot(agencies={a.id: a for a in (UTAMA, down)})
    [digest] = [m for m in plan(snapshot, SETTINGS, TODAY).messages if m.kind == DIGEST]
    assert "terakhir terlihat 19 Oktober 2026 (35 hari lalu)" in digest.text
