"""Sign-ins against the users file: right and wrong passwords, the lock after repeated
failures (counted from the audit trail), every attempt audited; on a real DuckDB file."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import users
from core.settings import ReviewSettings
from warehouse import db, queries, reviewers

AT = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SETTINGS = ReviewSettings(signin_max_failures=3, signin_window_minutes=15, signin_delay=0)


@pytest.fixture
def files(tmp_path):
    path, users_file = tmp_path / "pantau.duckdb", tmp_path / "pantau.users.json"
    reviewers.add(path, users_file, "budi", "kata-sandi-panjang", AT, min_length=10)
    return path, users_file


def trail(path):
    with db.read_only(path) as con:
        return [(r["actor"], r["action"]) for r in queries.records(con, "audit_log",
                                                                   agency_id=None, limit=50)]


def test_right_and_wrong_passwords_are_audited(files):
    path, users_file = files
    ok = reviewers.sign_in(path, users_file, "Budi", "kata-sandi-panjang", AT, SETTINGS)
    assert ok.name == "budi"
    wrong = reviewers.sign_in(path, users_file, "budi", "salah", AT, SETTINGS)
    assert wrong.name is None and wrong.failed and "salah" in wrong.message
    unknown = reviewers.sign_in(path, users_file, "siapa", "apa-saja", AT, SETTINGS)
    assert unknown.name is None and unknown.message == wrong.message
    assert trail(path)[:3] == [("pengguna:siapa", "signin_failed"),
                               ("pengguna:budi", "signin_failed"), ("pengguna:budi", "signin")]


def test_repeated_failures_lock_the_name_until_the_window_passes(files):
    path, users_file = files
    for i in range(3):
        result = reviewers.sign_in(path, users_file, "budi", f"tebakan-{i}",
                                   AT + timedelta(minutes=i), SETTINGS)
        assert result.failed
    locked = reviewers.sign_in(path, users_file, "budi", "kata-sandi-panjang",
                               AT + timedelta(minutes=3), SETTINGS)
    assert locked.name is None and not locked.failed
    assert "Terlalu banyak" in locked.message and "menit" in locked.message
    assert trail(path)[0] == ("pengguna:budi", "signin_locked")
    later = reviewers.sign_in(path, users_file, "budi", "kata-sandi-panjang",
                              AT + timedelta(minutes=20), SETTINGS)
    assert later.name == "budi"


def test_a_bad_users_file_is_an_error_naming_it(files, tmp_path):
    path, _ = files
    broken = tmp_path / "rusak.json"
    broken.write_text("{")
    with pytest.raises(users.UsersFileError, match="rusak.json"):
        reviewers.sign_in(path, broken, "budi", "kata-sandi-panjang", AT, SETTINGS)
