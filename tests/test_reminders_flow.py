"""The `send-reminders` Prefect flow, run for real in a Prefect test harness."""

from datetime import datetime

import pytest

from flows.reminders import send_reminders
from tests.reminders_helpers import ALL_FOUND, UTAMA, agency, rows, smtp_server, write

# prefect_api (tests/conftest.py): one Prefect test server for the session (~10-20 s to start)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_api")]


def test_the_flow_sends_once_and_returns_the_counts(tmp_path, monkeypatch):
    path = tmp_path / "p.duckdb"
    write(path, {UTAMA: ALL_FOUND, agency("dinkes"): {**ALL_FOUND, "dip": "missing"},
                 agency("down"): {c: "unreachable" for c in ALL_FOUND}}, datetime(2026, 11, 2, 2))
    with smtp_server() as (smtp, port):
        for name, value in {"PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": str(port),
                            "PANTAU_SMTP_SECURITY": "none", "PANTAU_SETTINGS_FILE": "",
                            "PANTAU_REMINDERS_RETRY_BACKOFF": "0"}.items():
            monkeypatch.setenv(name, value)
        dry = send_reminders(db=str(path), dry_run=True)
        assert dry["planned"] == 2 and dry["sent"] == 0 and smtp.messages == []
        assert dry["report"].startswith("UJI COBA (--dry-run) — 2 pesan akan dikirim")
        first = send_reminders(db=str(path))
        second = send_reminders(db=str(path))
    report = first.pop("report")
    assert first == {"dry_run": False, "planned": 2, "sent": 2, "failed": 0, "skipped": 1,
                     "already_sent": 0}
    assert "Ringkasan: 2 terkirim, 1 dilewati, 0 gagal." in report
    assert second["sent"] == 0 and second["already_sent"] == 2
    assert sorted(m.message["X-Pantau-Agency"] for m in smtp.messages) == ["dinkes", "utama"]
    assert sorted(r["status"] for r in rows(path)) == ["sent", "sent", "skipped"]


def test_the_flow_fails_without_smtp(tmp_path, monkeypatch):
    path = tmp_path / "p.duckdb"
    write(path, {UTAMA: ALL_FOUND, agency("dinkes"): {**ALL_FOUND, "dip": "missing"}},
          datetime(2026, 11, 2, 2))
    monkeypatch.setenv("PANTAU_SMTP_HOST", "")
    monkeypatch.setenv("PANTAU_SETTINGS_FILE", "")
    from reminders import SmtpNotConfigured

    with pytest.raises(SmtpNotConfigured):
        send_reminders(db=str(path))
    assert rows(path) == []
