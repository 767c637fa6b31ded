"""`pantau remind`: the command line over the same logic, with a real SMTP server."""

from datetime import datetime

import pytest
from typer.testing import CliRunner

from pantau.cli import app
from tests.reminders_helpers import ALL_FOUND, UTAMA, Collector, agency, rows, smtp_server, write

# `pantau remind` runs the send-reminders flow: one Prefect test server for the session.
pytestmark = pytest.mark.usefixtures("prefect_api")

T1 = datetime(2026, 11, 2, 2, 0)
DINKES = agency("dinkes", name="Dinas Kesehatan Kota Contoh")
DOWN = agency("down", name="Dinas Pariwisata Kota Contoh")


def city(path):
    write(path, {UTAMA: ALL_FOUND, DINKES: {**ALL_FOUND, "dip": "missing", "profil": "broken"},
                 DOWN: {c: "unreachable" for c in ALL_FOUND}}, T1)


def env(port: int | None) -> dict[str, str]:
    return {"PANTAU_SETTINGS_FILE": "", "PANTAU_SMTP_HOST": "127.0.0.1" if port else "",
            "PANTAU_SMTP_PORT": str(port or 25), "PANTAU_SMTP_FROM": "pantau@kota.test",
            "PANTAU_SMTP_SECURITY": "none", "PANTAU_REMINDERS_RETRY_BACKOFF": "0",
            "PANTAU_DASHBOARD_URL": "https://pantau.kota.test"}


def test_remind_sends_and_prints_an_indonesian_summary(tmp_path):
    path = tmp_path / "p.duckdb"
    city(path)
    with smtp_server() as (smtp, port):
        result = CliRunner().invoke(app, ["remind", "--db", str(path)], env=env(port))
        assert result.exit_code == 0, result.output
        assert len(smtp.messages) == 2
        assert "Ringkasan: 2 terkirim, 1 dilewati, 0 gagal." in result.output
        assert "Terkirim : dinkes [pengingat, email] → ppid@dinkes.test" in result.output
        again = CliRunner().invoke(app, ["remind", "--db", str(path)], env=env(port))
    assert again.exit_code == 0 and len(smtp.messages) == 2
    assert "0 terkirim" in again.output and "2 sudah terkirim sebelumnya" in again.output


def test_remind_without_smtp_host_fails_naming_the_variable(tmp_path):
    path = tmp_path / "p.duckdb"
    city(path)
    result = CliRunner().invoke(app, ["remind", "--db", str(path)], env=env(None))
    assert result.exit_code == 2
    assert "PANTAU_SMTP_HOST" in result.output
    assert rows(path) == []


def test_dry_run_prints_recipients_subject_and_body_and_sends_nothing(tmp_path):
    path = tmp_path / "p.duckdb"
    city(path)
    with smtp_server() as (smtp, port):
        result = CliRunner().invoke(app, ["remind", "--db", str(path), "--dry-run"], env=env(port))
    assert result.exit_code == 0, result.output
    assert smtp.messages == [] and rows(path) == []
    out = result.output
    assert "UJI COBA (--dry-run) — 2 pesan akan dikirim" in out
    assert "Kepada   : ppid@dinkes.test" in out
    assert "Subjek   : [Pantau PPID] Dinas Kesehatan Kota Contoh: 2 informasi publik" in out
    assert "Daftar Informasi Publik (DIP)" in out and "TAUTAN RUSAK (1)" in out
    assert "Kepada   : ppid@utama.test" in out and "Dinas Pariwisata Kota Contoh" in out
    assert "Dilewati : down [pengingat, email]" in out
    # works without any SMTP configuration too
    result = CliRunner().invoke(app, ["remind", "--db", str(path), "--dry-run"], env=env(None))
    assert result.exit_code == 0 and "2 pesan akan dikirim" in result.output


def test_failed_sends_exit_non_zero_and_stay_logged(tmp_path):
    path = tmp_path / "p.duckdb"
    city(path)
    with smtp_server(Collector(always="550 5.1.1 Mailbox tidak ada")) as (smtp, port):
        result = CliRunner().invoke(app, ["remind", "--db", str(path)], env=env(port))
    assert result.exit_code == 1
    assert "0 terkirim, 1 dilewati, 2 gagal" in result.output
    assert "SMTP 550: 5.1.1 Mailbox tidak ada" in result.output
    assert sorted(r["status"] for r in rows(path)) == ["failed", "failed", "skipped"]


def test_a_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["remind", "--db", str(tmp_path / "nope.duckdb"),
                                      "--dry-run"], env=env(None))
    assert result.exit_code == 1 and "berkas basis data tidak ada" in result.output
    assert not (tmp_path / "nope.duckdb").exists()
