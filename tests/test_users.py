"""The reviewers file and `pantau users add|remove|list`, through the real command."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from core import users

ROOT = Path(__file__).resolve().parents[1]
AT = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def pantau(*args: str, stdin: str | None = None, env: dict | None = None):
    """The installed command, as a user runs it (this checkout first on the path)."""
    environ = {k: v for k, v in os.environ.items() if k != "PANTAU_USER_PASSWORD"}
    environ.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-c", "from pantau.cli import main; main()", *args],
                          input=stdin if stdin is not None else "", capture_output=True,
                          text=True, env=environ, timeout=120)


def test_hash_is_salted_scrypt_and_verifies_in_constant_time_compare():
    first, second = users.hash_password("kata-sandi-panjang"), users.hash_password("kata-sandi-panjang")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert users.verify_password("kata-sandi-panjang", first)
    assert not users.verify_password("kata-sandi-salah", first)


def test_add_authenticate_remove(tmp_path):
    path = tmp_path / "pantau.users.json"
    user = users.add_user(path, "Budi", "kata-sandi-panjang", AT)
    assert user.name == "budi" and user.added == AT
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "kata-sandi-panjang" not in path.read_text()
    assert users.authenticate(path, "budi", "kata-sandi-panjang")
    assert users.authenticate(path, " BUDI ", "kata-sandi-panjang")
    assert not users.authenticate(path, "budi", "salah-salah-salah")
    assert not users.authenticate(path, "tidakada", "kata-sandi-panjang")
    with pytest.raises(users.UserError, match="sudah ada"):
        users.add_user(path, "budi", "kata-sandi-lain1", AT)
    with pytest.raises(users.UserError, match="terlalu pendek"):
        users.add_user(path, "sari", "pendek", AT)
    users.remove_user(path, "budi")
    assert users.load_users(path) == []
    with pytest.raises(users.UserError, match="tidak ada"):
        users.remove_user(path, "budi")


@pytest.mark.parametrize("content, words", [
    ("{bad", "bukan JSON"),
    ('{"users": []}', "bukan berkas pengguna"),
    ('{"format": "pantau-users/1", "users": [{"name": "budi", "added_at": "x", '
     '"password": "md5$abc"}]}', "hash kata sandi rusak"),
    ('{"format": "pantau-users/1", "users": [{"name": "Budi Santoso", "added_at": "x", '
     '"password": "x"}]}', "nama tidak sah"),
    ("\udcff", "tidak dapat dibaca"),
])
def test_a_bad_users_file_is_named_and_left_alone(tmp_path, content, words):
    path = tmp_path / "pantau.users.json"
    if content == "\udcff":
        path.write_bytes(b"\xff\xfe\x00bad")
    else:
        path.write_text(content)
    before = path.read_bytes()
    with pytest.raises(users.UsersFileError) as caught:
        users.load_users(path)
    assert str(path) in str(caught.value) and words in str(caught.value)
    with pytest.raises(users.UsersFileError):
        users.add_user(path, "sari", "kata-sandi-panjang", AT)
    assert path.read_bytes() == before


def test_users_path_defaults_beside_the_database(tmp_path):
    assert users.users_path("", tmp_path / "pantau.duckdb") == tmp_path / "pantau.users.json"
    assert users.users_path("/etc/pantau/peninjau.json", "x.duckdb") == Path("/etc/pantau/peninjau.json")


def test_pantau_users_add_list_remove_through_the_command(tmp_path):
    db = tmp_path / "pantau.duckdb"
    added = pantau("users", "add", "budi", "--db", str(db), "--password-stdin",
                   stdin="kata-sandi-panjang\n")
    assert added.returncode == 0, added.stderr
    assert "Peninjau budi ditambahkan" in added.stdout
    by_env = pantau("users", "add", "sari", "--db", str(db),
                    env={"PANTAU_USER_PASSWORD": "kata-sandi-sari-1"})
    assert by_env.returncode == 0, by_env.stderr
    listed = pantau("users", "list", "--db", str(db))
    assert listed.returncode == 0
    assert "budi" in listed.stdout and "sari" in listed.stdout and "WIB" in listed.stdout
    assert "scrypt" not in listed.stdout
    stored = json.loads((tmp_path / "pantau.users.json").read_text())
    assert users.verify_password("kata-sandi-panjang", stored["users"][0]["password"])
    removed = pantau("users", "remove", "budi", "--db", str(db))
    assert removed.returncode == 0 and "dihapus" in removed.stdout
    again = pantau("users", "remove", "budi", "--db", str(db))
    assert again.returncode == 1 and "tidak ada" in again.stderr
    assert "Traceback" not in again.stderr
    con = duckdb.connect(str(db), read_only=True)
    trail = con.execute("SELECT actor, action, before, after FROM audit_log ORDER BY id").fetchall()
    con.close()
    assert [(a, b) for a, b, *_ in trail] == [("cli", "user_add"), ("cli", "user_add"),
                                             ("cli", "user_remove")]
    assert all("scrypt" not in (str(x) or "") for row in trail for x in row)
    assert "+07:00" in trail[0][3]


def test_pantau_users_refuses_without_a_password_source_and_names_a_bad_file(tmp_path):
    db = tmp_path / "pantau.duckdb"
    no_password = pantau("users", "add", "budi", "--db", str(db))
    assert no_password.returncode == 2 and "--password-stdin" in no_password.stderr
    short = pantau("users", "add", "budi", "--db", str(db), "--password-stdin", stdin="pendek\n")
    assert short.returncode == 1 and "terlalu pendek" in short.stderr
    bad = tmp_path / "rusak.json"
    bad.write_text("[1, 2")
    for args in (["list"], ["add", "budi", "--password-stdin"], ["remove", "budi"]):
        result = pantau("users", *args, "--db", str(db), "--users-file", str(bad),
                        stdin="kata-sandi-panjang\n")
        assert result.returncode == 1, args
        assert str(bad) in result.stderr and "rusak" in result.stderr
        assert "Traceback" not in result.stderr
    assert bad.read_text() == "[1, 2"
