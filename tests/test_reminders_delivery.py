"""Reminders end to end: real DuckDB files written with write_run, a real SMTP server on
loopback, ``run_reminders`` with the plain step functions."""

import json
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from core.clock import local_now
from reminders import RemindersBusy, SmtpNotConfigured, run_reminders, service, store
from reminders.service import batch_lock, format_summary
from sample_world.tls import server_context, write_self_signed
from tests import factories
from tests.reminders_helpers import (
    ALL_FOUND,
    CATS,
    UTAMA,
    Authenticator,
    Collector,
    agency,
    rows,
    smtp_server,
    smtp_settings,
    write,
)
from warehouse import db, load

ROOT = Path(__file__).resolve().parents[1]
T1 = datetime(2026, 11, 2, 2, 0)
DINKES = agency("dinkes", name="Dinas Kesehatan Kota Contoh")
DISHUB = agency("dishub", name="Dinas Perhubungan Kota Contoh")
DOWN = agency("down", name="Dinas Pariwisata Kota Contoh")
NOMAIL = agency("nomail", email="", name="Kecamatan Tanpa Surel")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "pantau.duckdb"


def city_run(path, when=T1, dinkes=None):
    """A run with: a compliant utama, two lacking agencies, one unreachable, one without e-mail."""
    return write(path, {
        UTAMA: ALL_FOUND,
        DINKES: dinkes or {"profil": "missing", "lhkpn": "stale", "dip": "broken", "sop_ppid": "found"},
        DISHUB: {"profil": "found", "lhkpn": "found", "dip": "missing", "sop_ppid": "found"},
        DOWN: {c: "unreachable" for c in ALL_FOUND},
        NOMAIL: {"profil": "missing", "lhkpn": "found", "dip": "found", "sop_ppid": "found"},
    }, when, findings={("dinkes", "dip"): {"evidence_url": "http://dinkes.test/dip.pdf"},
                       ("dinkes", "lhkpn"): {"document_year": 2023}})


def test_each_lacking_agency_gets_one_message_and_the_utama_a_digest(path):
    run_id = city_run(path)
    with smtp_server() as (smtp, port):
        summary = run_reminders(path, smtp_settings(port))
    assert (summary.sent, summary.failed) == (3, 0)
    by_agency = {m.message["X-Pantau-Agency"]: m for m in smtp.messages}
    assert set(by_agency) == {"dinkes", "dishub", "utama"}  # not down, not nomail

    dinkes = by_agency["dinkes"]
    assert dinkes.mail_from == "pantau@kominfo.kota.test"
    assert dinkes.rcpt_tos == ["ppid@dinkes.test"]
    assert dinkes.message["Cc"] is None
    assert dinkes.subject == ("[Pantau PPID] Dinas Kesehatan Kota Contoh: 3 informasi publik "
                              "perlu dilengkapi (skor 30, Tidak Informatif)")
    assert dinkes.message.get_content_type() == "multipart/alternative"
    text, html = dinkes.part("plain"), dinkes.part("html")
    for part in (text, html):
        assert "Profil badan publik" in part and "UU 14/2008 Pasal 9; Perki 1/2021" in part
        assert "Daftar Informasi Publik (DIP)" in part and "http://dinkes.test/dip.pdf" in part
        assert "Laporan harta kekayaan pejabat (LHKPN)" in part
        assert "tahun 2023" in part and "tahun 2025" in part
        assert "SOP PPID" not in part
        assert "https://pantau.kota.test/badan-publik?agency=dinkes" in part
        assert "Diskominfo Kota Contoh (ppid@utama.test)" in part
    assert dinkes.message["Reply-To"] == "ppid@utama.test"

    digest = by_agency["utama"]
    assert digest.rcpt_tos == ["ppid@utama.test"]
    assert digest.subject == ("[Pantau PPID] 1 situs PPID tidak terjangkau; 1 badan "
                              "publik tanpa e-mail tidak menerima pengingat")
    assert "Dinas Pariwisata Kota Contoh" in digest.part("plain")
    assert "tidak menerima pengingat" in digest.part("plain")  # nobody drops out silently
    assert "http://down.test/" in digest.part("html")

    log = {(r["agency_id"], r["kind"]): r for r in rows(path)}
    assert log[("dinkes", "reminder")]["status"] == "sent"
    assert log[("dinkes", "reminder")]["categories"] == ["profil", "lhkpn", "dip"]
    assert log[("dinkes", "reminder")]["message_id"] == dinkes.message["Message-ID"]
    assert log[("dinkes", "reminder")]["attempts"] == 1
    assert log[("dinkes", "reminder")]["run_id"] == run_id
    assert log[("dinkes", "reminder")]["sent_at"] is not None
    assert log[("utama", "digest")]["about_agencies"] == ["down", "nomail"]
    assert log[("down", "reminder")]["status"] == "skipped"
    assert "tidak terjangkau" in log[("down", "reminder")]["reason"]
    assert log[("nomail", "reminder")]["status"] == "skipped"
    assert log[("nomail", "reminder")]["reason"] == "tidak ada alamat e-mail di registry"
    assert ("utama", "reminder") not in log and ("dishub", "reminder") in log
    assert "3 terkirim, 2 dilewati, 0 gagal" in format_summary(summary)


def test_running_again_for_the_same_run_sends_nothing_and_logs_nothing_new(path):
    city_run(path)
    with smtp_server() as (smtp, port):
        run_reminders(path, smtp_settings(port))
        before = rows(path)
        summary = run_reminders(path, smtp_settings(port, min_interval_days=0))
        assert len(smtp.messages) == 3
    assert (summary.sent, summary.plan.already_sent) == (0, 3)
    assert rows(path) == before


def test_nothing_is_sent_when_nothing_is_lacking(path):
    write(path, {UTAMA: ALL_FOUND, DINKES: ALL_FOUND}, T1)
    with smtp_server() as (smtp, port):
        summary = run_reminders(path, smtp_settings(port))
    assert smtp.messages == [] and summary.sent == 0 and rows(path) == []


def test_at_most_one_reminder_per_agency_in_min_interval_days(path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    with smtp_server() as (smtp, port):
        settings = smtp_settings(port)
        today = local_now(settings).date()
        run_reminders(path, settings, today=today)
        # a second crawl three days later: new run, but too soon for another reminder
        write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1 + timedelta(days=3))
        summary = run_reminders(path, settings, today=today + timedelta(days=3))
        assert len(smtp.for_agency("dinkes")) == 1 and summary.sent == 0
        assert "sudah diingatkan pada" in summary.plan.skips[0].reason
        # seven days after the first reminder the same run is reminded
        summary = run_reminders(path, settings, today=today + timedelta(days=7))
        assert len(smtp.for_agency("dinkes")) == 2 and summary.sent == 1
    statuses = [(r["run_id"], r["status"]) for r in rows(path, "agency_id = 'dinkes'")]
    assert statuses == [(1, "sent"), (2, "skipped"), (2, "sent")]


def test_after_three_reminders_without_improvement_the_utama_is_copied(path):
    lacking = {**ALL_FOUND, "dip": "missing", "lhkpn": "broken"}
    with smtp_server() as (smtp, port):
        settings = smtp_settings(port)
        today = local_now(settings).date()
        for week in range(4):
            write(path, {UTAMA: ALL_FOUND, DINKES: lacking}, T1 + timedelta(weeks=week))
            run_reminders(path, settings, today=today + timedelta(weeks=week))
        received = smtp.for_agency("dinkes")
    assert len(received) == 4
    assert all(m.message["Cc"] is None for m in received[:3])
    fourth = received[3]
    assert fourth.message["Cc"] == "ppid@utama.test"
    assert sorted(fourth.rcpt_tos) == ["ppid@dinkes.test", "ppid@utama.test"]
    assert fourth.subject.startswith("[Eskalasi]")
    assert "sudah 3 kali diingatkan" in fourth.part("plain")
    assert rows(path, "run_id = 4")[0]["cc"] == "ppid@utama.test"


def test_an_agency_that_improves_is_not_escalated(path):
    with smtp_server() as (smtp, port):
        settings = smtp_settings(port)
        today = local_now(settings).date()
        weeks = [{**ALL_FOUND, "dip": "missing", "lhkpn": "missing", "profil": "missing"},
                 {**ALL_FOUND, "dip": "missing", "lhkpn": "missing", "profil": "missing"},
                 {**ALL_FOUND, "dip": "missing", "lhkpn": "missing", "profil": "missing"},
                 {**ALL_FOUND, "dip": "missing"}]
        for week, statuses in enumerate(weeks):
            write(path, {UTAMA: ALL_FOUND, DINKES: statuses}, T1 + timedelta(weeks=week))
            run_reminders(path, settings, today=today + timedelta(weeks=week))
        assert [m.message["Cc"] for m in smtp.for_agency("dinkes")] == [None] * 4


def test_a_server_that_refuses_then_accepts_gets_the_message_once(path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    handler = Collector(script=["451 4.3.0 Coba lagi nanti", "550 5.7.1 Ditolak sementara"])
    with smtp_server(handler) as (smtp, port):
        summary = run_reminders(path, smtp_settings(port, send_retries=2))
    assert smtp.refused == 2 and len(smtp.messages) == 1
    assert summary.sent == 1
    row = rows(path)[0]
    assert (row["status"], row["attempts"], row["error"]) == ("sent", 3, None)


def test_a_server_that_always_refuses_leaves_it_failed_and_the_next_run_retries(path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    handler = Collector(always="554 5.7.1 Relay ditolak")
    with smtp_server(handler) as (smtp, port):
        summary = run_reminders(path, smtp_settings(port, send_retries=1))
        assert summary.failed == 1 and smtp.refused == 2 and smtp.messages == []
        row = rows(path)[0]
        assert (row["status"], row["attempts"]) == ("failed", 2)
        assert row["error"] == "SMTP 554: 5.7.1 Relay ditolak"
        assert "gagal" in format_summary(summary)
        message_id = row["message_id"]
        handler.always = None
        summary = run_reminders(path, smtp_settings(port, send_retries=1))
        assert summary.sent == 1 and len(smtp.messages) == 1
    assert smtp.messages[0].message["Message-ID"] == message_id
    after = rows(path)
    assert len(after) == 1  # the same row, retried
    assert (after[0]["status"], after[0]["attempts"], after[0]["error"]) == ("sent", 3, None)


def test_an_unreachable_smtp_server_is_a_failed_send_not_a_crash(path):
    from tests.reminders_helpers import free_port

    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    summary = run_reminders(path, smtp_settings(free_port(), send_retries=0))
    assert summary.failed == 1
    assert rows(path)[0]["status"] == "failed"
    assert "ConnectionRefusedError" in rows(path)[0]["error"]


class Crash(Exception):
    pass


def test_a_crash_between_send_and_record_resends_only_the_unconfirmed_message(path, monkeypatch):
    city_run(path)
    recorded = []
    real_record = store.record

    def record_then_crash(db_path, message, delivery, now):
        if len(recorded) == 1:
            raise Crash("process died after sending the second message")
        real_record(db_path, message, delivery, now)
        recorded.append(message.agency_id)

    with smtp_server() as (smtp, port):
        settings = smtp_settings(port)
        with pytest.raises(Crash), monkeypatch.context() as patch:
            patch.setattr(store, "record", record_then_crash)
            run_reminders(path, settings)
        assert len(smtp.messages) == 2
        statuses = [r["status"] for r in rows(path) if r["status"] != "skipped"]
        assert statuses == ["sent", "pending", "pending"]
        unconfirmed = [r for r in rows(path) if r["status"] == "pending"][0]

        run_reminders(path, settings)
        second_run = smtp.messages[2:]
    assert len(second_run) == 2  # the unconfirmed one again, and the one never sent
    ids = [m.message["Message-ID"] for m in smtp.messages]
    assert ids.count(unconfirmed["message_id"]) == 2  # resent with the same Message-ID
    assert len(set(ids)) == 3
    assert [r["status"] for r in rows(path) if r["status"] != "skipped"] == ["sent"] * 3
    from tests.reminders_helpers import free_port

    summary = run_reminders(path, smtp_settings(free_port()))  # nothing left to send
    assert summary.results == [] and summary.plan.already_sent == 3


def test_a_crash_before_sending_leaves_pending_rows_that_are_sent_once(path, monkeypatch):
    city_run(path)

    def send_crash(message, settings):
        raise Crash("killed right after the claim")

    with smtp_server() as (smtp, port):
        with pytest.raises(Crash), monkeypatch.context() as patch:
            patch.setattr(service, "deliver", send_crash)
            run_reminders(path, smtp_settings(port))
        assert smtp.messages == []
        run_reminders(path, smtp_settings(port))
        assert len(smtp.messages) == 3


def test_a_process_killed_mid_batch_is_resumed_by_the_next_batch(path):
    """A real process death (os._exit) after the SMTP server accepted message 2 and before it
    was recorded: the OS frees the batch lock, the next batch resends only that message."""
    city_run(path)
    script = textwrap.dedent("""
        import os, sys
        from reminders import run_reminders, service
        from reminders.delivery import deliver
        from tests.reminders_helpers import smtp_settings
        sent = []
        def send_then_die(message, settings):
            delivery = deliver(message, settings)
            sent.append(message.agency_id)
            if len(sent) == 2:
                os._exit(17)
            return delivery
        service.deliver = send_then_die  # the process dies inside the sending step
        run_reminders(sys.argv[1], smtp_settings(int(sys.argv[2])))
    """)
    with smtp_server() as (smtp, port):
        child = subprocess.run([sys.executable, "-c", script, str(path), str(port)], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
        assert child.returncode == 17, child.stderr
        assert len(smtp.messages) == 2
        assert [r["status"] for r in rows(path) if r["status"] != "skipped"] == \
            ["sent", "pending", "pending"]
        summary = run_reminders(path, smtp_settings(port))
    assert summary.sent == 2 and len(smtp.messages) == 4
    agencies = [m.message["X-Pantau-Agency"] for m in smtp.messages]
    first, second = agencies[:2]
    assert first not in agencies[2:]  # recorded as sent: never again
    assert second in agencies[2:]  # accepted but unrecorded: sent again (at-least-once)
    assert len(set(agencies)) == 3
    ids = [m.message["Message-ID"] for m in smtp.messages]
    assert ids[1] in ids[2:]


def test_only_one_batch_at_a_time(path):
    city_run(path)
    with smtp_server() as (smtp, port):
        with batch_lock(path):
            with pytest.raises(RemindersBusy, match="pengingat lain sedang berjalan"):
                run_reminders(path, smtp_settings(port))
        assert smtp.messages == [] and rows(path) == []


def test_dry_run_sends_nothing_and_writes_nothing(path):
    city_run(path)
    before = Path(path).read_bytes()
    with smtp_server() as (smtp, port):
        summary = run_reminders(path, smtp_settings(port), dry_run=True)
    assert len(summary.plan.messages) == 3 and summary.results == []
    assert smtp.messages == [] and rows(path) == []
    assert Path(path).read_bytes() == before


def test_without_smtp_host_only_a_dry_run_is_possible(path):
    city_run(path)
    settings = smtp_settings(25).replace("smtp", host="")
    with pytest.raises(SmtpNotConfigured, match="PANTAU_SMTP_HOST"):
        run_reminders(path, settings)
    assert len(run_reminders(path, settings, dry_run=True).plan.messages) == 3


def test_an_older_database_is_migrated_and_keeps_its_reminder_log(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    db.migrate(con, target=3)
    con.execute("INSERT INTO reminders (agency_id, run_id, channel, status, attempts, created_at)"
                " VALUES ('x', 1, 'email', 'sent', 1, now())")
    con.close()
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    with smtp_server() as (smtp, port):
        run_reminders(path, smtp_settings(port))
    assert [(r["agency_id"], r["kind"]) for r in rows(path)] == [("x", "reminder"), ("dinkes", "reminder")]


def tls_files(tmp_path):
    cert, key = write_self_signed(tmp_path)
    return cert, server_context(cert, key)


def test_starttls_with_login_from_a_password_file(path, tmp_path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    cert, context = tls_files(tmp_path)
    secret = tmp_path / "smtp-password"
    secret.write_text("rahasia-s3kali\n")
    auth = Authenticator("pantau", "rahasia-s3kali")
    with smtp_server(tls_context=context, require_starttls=True, auth_required=True,
                     authenticator=auth) as (smtp, port):
        settings = smtp_settings(port).replace(
            "smtp", security="starttls", ca_file=str(cert), user="pantau",
            password_file=str(secret))
        summary = run_reminders(path, settings)
    assert summary.sent == 1 and len(smtp.messages) == 1 and auth.seen == [b"pantau"]
    assert b"rahasia" not in Path(path).read_bytes()
    assert "rahasia" not in json.dumps(rows(path), default=str)


def test_a_wrong_password_is_a_failure_that_does_not_leak_the_password(path, tmp_path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    cert, context = tls_files(tmp_path)
    auth = Authenticator("pantau", "benar")
    with smtp_server(tls_context=context, auth_required=True, authenticator=auth) as (smtp, port):
        settings = smtp_settings(port, send_retries=0).replace(
            "smtp", security="starttls", ca_file=str(cert), user="pantau", password="salah-xyz")
        summary = run_reminders(path, settings)
    assert summary.failed == 1 and smtp.messages == []
    row = rows(path)[0]
    assert row["error"].startswith("SMTP 535") and "salah-xyz" not in row["error"]
    assert "salah-xyz" not in repr(settings)


def test_implicit_ssl_and_an_untrusted_certificate_is_refused(path, tmp_path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    cert, context = tls_files(tmp_path)
    with smtp_server(ssl_context=context) as (smtp, port):
        untrusted = smtp_settings(port, send_retries=0).replace("smtp", security="ssl")
        summary = run_reminders(path, untrusted)
        assert summary.failed == 1 and "CERTIFICATE_VERIFY_FAILED" in rows(path)[0]["error"]
        trusted = untrusted.replace("smtp", ca_file=str(cert))
        summary = run_reminders(path, trusted)
    assert summary.sent == 1 and len(smtp.messages) == 1


class _JsonSink(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_apprise_copies_go_to_the_configured_urls_and_only_the_scheme_is_logged(path):
    pytest.importorskip("apprise")
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    _JsonSink.received = []
    http = ThreadingHTTPServer(("127.0.0.1", 0), _JsonSink)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        url = f"json://127.0.0.1:{http.server_address[1]}/hook?token=sangat-rahasia"
        with smtp_server() as (smtp, port):
            summary = run_reminders(path, smtp_settings(port, apprise_urls=(url,)))
    finally:
        http.shutdown()
        http.server_close()
    assert summary.sent == 2 and len(smtp.messages) == 1
    assert len(_JsonSink.received) == 1
    assert "Dinas Kesehatan Kota Contoh" in _JsonSink.received[0]["title"]
    assert "Daftar Informasi Publik (DIP)" in _JsonSink.received[0]["message"]
    apprise_row = rows(path, "channel = 'apprise'")[0]
    assert (apprise_row["status"], apprise_row["recipients"]) == ("sent", "apprise:json")
    assert b"sangat-rahasia" not in Path(path).read_bytes()


def test_upload_hints_from_the_categories_table_reach_the_message(path):
    from dataclasses import replace

    cats = [replace(c, upload_hint="Unggah DIP yang ditetapkan dengan SK PPID.")
            if c.id == "dip" else c for c in CATS]
    record = factories.run(cats, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    with db.writing(path) as con:
        load.write_run(con, record)
        hints = dict(con.execute("SELECT id, upload_hint FROM categories").fetchall())
    assert hints["dip"] == "Unggah DIP yang ditetapkan dengan SK PPID." and hints["profil"] is None
    with db.read_only(path) as con:
        snapshot = store.read_snapshot(con)
    from reminders.policy import plan

    message = plan(snapshot, smtp_settings(25), local_now(smtp_settings(25)).date()).messages[0]
    assert "Yang perlu diunggah: Unggah DIP yang ditetapkan dengan SK PPID." in message.text


def test_the_contract_environment_names_configure_the_sender(path):
    """The contract's environment names reach the sender (PANTAU_SMTP_*)."""
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing"}}, T1)
    from core.settings import load_settings

    with smtp_server() as (smtp, port):
        env = {"PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": str(port),
               "PANTAU_SMTP_FROM": "ppid@kota.test", "PANTAU_SMTP_SECURITY": "none",
               "PANTAU_REMINDERS_RETRY_BACKOFF": "0"}
        run_reminders(path, load_settings(env=env))
    assert smtp.messages[0].mail_from == "ppid@kota.test"


def test_with_the_real_checklist_the_message_says_what_to_upload(path):
    checklist = pytest.importorskip("core.checklist").load_checklist()
    statuses = {c.id: "found" for c in checklist}
    statuses.update(dip="missing", lhkpn="stale")
    record = factories.run(list(checklist), {DINKES: statuses, UTAMA: {c.id: "found" for c in checklist}}, T1)
    with db.writing(path) as con:
        load.write_run(con, record)
    with smtp_server() as (smtp, port):
        run_reminders(path, smtp_settings(port))
    (mail,) = smtp.messages
    dip, lhkpn = checklist.get("dip"), checklist.get("lhkpn")
    for part in (mail.part("plain"), mail.part("html")):
        assert dip.name in part and dip.legal_basis in part and dip.upload_hint in part
        assert lhkpn.name in part and lhkpn.upload_hint in part
