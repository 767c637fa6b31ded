"""Starting the dashboard: database checks, the server command, `pantau dashboard` errors."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard import launch
from pantau.cli import app
from tests import dashboard_fixture as fx
from warehouse import db


@pytest.fixture
def pantau_db(tmp_path):
    return fx.build(tmp_path / "pantau.duckdb", runs=1).path


def test_the_server_command_is_headless_on_loopback_without_usage_stats(tmp_path):
    cmd = launch.command(tmp_path / "x.duckdb", 8600)
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(launch.APP)]
    options = dict(zip(cmd[5:-3:2], cmd[6:-3:2], strict=True))
    assert options == {
        "--server.port": "8600", "--server.headless": "true",
        "--server.address": "127.0.0.1", "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "viewer",
    }
    assert cmd[-3:] == ["--", "--db", str((tmp_path / "x.duckdb").resolve())]


def test_check_database_accepts_only_a_pantau_database(tmp_path, pantau_db):
    assert launch.check_database(pantau_db) == pantau_db
    with pytest.raises(launch.LaunchError, match="tidak ditemukan"):
        launch.check_database(tmp_path / "missing.duckdb")
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(launch.LaunchError, match="bukan basis data"):
        launch.check_database(text)
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(launch.LaunchError, match="bukan basis data Pantau PPID"):
        launch.check_database(foreign)
    empty = tmp_path / "empty.duckdb"
    with db.writing(empty):
        pass
    assert launch.check_database(empty) == empty  # migrated, no runs yet: the app says so


def test_pantau_dashboard_refuses_a_missing_or_foreign_database(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["dashboard", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 1
    assert "Basis data tidak ditemukan" in result.output
    text = tmp_path / "notes.duckdb"
    text.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["dashboard", "--db", str(text), "--port", "8599"])
    assert result.exit_code == 1 and "bukan basis data" in result.output


def test_start_waits_for_health_and_stop_ends_the_server(pantau_db):
    server = launch.start(pantau_db, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as answer:
            assert answer.status == 200 and answer.read() == b"ok"
        port = int(server.url.rsplit(":", 1)[1])
        with pytest.raises(launch.LaunchError, match=f"Port {port} sudah dipakai"):
            launch.start(pantau_db, port)
    finally:
        server.stop()
    assert server.process.poll() is not None
    assert not launch.healthy(server.url)


def test_start_refuses_a_port_in_use(pantau_db):
    with socket.socket() as busy:
        busy.bind((launch.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(launch.LaunchError, match="sudah dipakai"):
            launch.start(pantau_db, port)
