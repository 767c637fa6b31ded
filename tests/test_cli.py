"""The `pantau` command line, as a user runs it."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pantau.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("crawl", "dashboard", "remind", "serve", "demo", "registry", "db"):
        assert command in result.output


def test_help_speaks_indonesian():
    result = invoke("--help")
    for text in ("Satu putaran pemantauan", "Dasbor Streamlit", "Laporan PDF dan HTML",
                 "Situs PPID contoh"):
        assert text in result.output
    assert "Berkas laporan" not in result.output
    report = invoke("report", "--help")
    assert "Folder berkas laporan" in report.output and "Berkas basis data DuckDB" in report.output


@pytest.mark.parametrize("name", ["registry-kota-pasuruan.yaml", "registry-small.csv"])
def test_registry_check_passes_on_the_samples(name):
    result = invoke("registry", "check", EXAMPLES / name)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_registry_check_warns_about_agencies_without_an_email(tmp_path):
    registry = tmp_path / "r.csv"
    registry.write_text("id,name,url,email,role,parent\n"
                        "utama,Diskominfo,https://u.go.id/,ppid@u.go.id,utama,\n"
                        "dishub,Dinas Perhubungan,https://d.go.id/,,pelaksana,utama\n"
                        "dinkes,Dinas Kesehatan,https://k.go.id/,ppid@k.go.id,pelaksana,utama\n")
    result = invoke("registry", "check", registry)
    assert result.exit_code == 0, result.output
    assert "Peringatan: 1 badan publik tanpa e-mail tidak akan menerima pengingat" in result.output
    assert "  - dishub: Dinas Perhubungan" in result.output
    assert "dinkes:" not in result.output


def test_registry_check_lists_every_bad_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,url,email,role,parent\n"
                   "utama,U,https://u.go.id/,,utama,\n"
                   ",X,https://x.go.id/,,pelaksana,utama\n"
                   "utama,U2,notaurl,,pelaksana,ghost\n")
    result = invoke("registry", "check", bad)
    assert result.exit_code == 1
    assert "baris 3: id kosong" in result.output  # as a spreadsheet numbers rows: header is row 1
    assert "baris 4: id 'utama' ganda (pertama di baris 2)" in result.output
    assert "baris 4: url 'notaurl' tidak sah" in result.output
    assert "baris 4: parent 'ghost' tidak dikenal" in result.output


def test_db_migrate_and_export(tmp_path):
    db = tmp_path / "p.duckdb"
    assert invoke("db", "migrate", "--db", db).exit_code == 0
    result = invoke("db", "export", "--db", db, "--format", "csv", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "latest_scores.csv").exists()
    assert invoke("db", "export", "--db", db, "--format", "xml", tmp_path / "o").exit_code == 2
    missing = invoke("db", "export", "--db", tmp_path / "absent.duckdb", tmp_path / "o")
    assert missing.exit_code == 1 and "absent.duckdb" in missing.output


def test_a_newer_database_is_refused_by_every_command(tmp_path):
    db = tmp_path / "p.duckdb"
    invoke("db", "migrate", "--db", db)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (99, 'future', now())")
    con.close()
    result = invoke("db", "migrate", "--db", db)
    assert result.exit_code == 1 and "lebih baru" in result.output


@pytest.mark.slow
def test_crawl_runs_the_flow_and_exits_0_even_with_a_site_down(prefect_api, sample_world, tmp_path,
                                                              fast_settings_file):
    registry = sample_world.write_registry(tmp_path / "registry.yaml")
    db = tmp_path / "pantau.duckdb"
    result = invoke("crawl", "--registry", registry, "--db", db, "--max-pages", 40,
                    "--settings", fast_settings_file)
    assert result.exit_code == 0, result.output
    assert "Putaran #1 selesai" in result.output and "1 tidak terjangkau." in result.output
    assert "Putaran #1 selesai, crawl penuh:" in result.output  # every agency's first run
    lines = [line for line in result.output.splitlines() if line.startswith("[")]
    total = len(sample_world.sites)
    assert len(lines) == total  # one line per agency, as its result comes in
    assert re.fullmatch(rf"\[1/{total}\] [a-z0-9-]+: (\d+ halaman, \d+ dokumen, skor \d+,\d"
                        r"|tidak terjangkau \(.+\))", lines[0])
    assert sum("tidak terjangkau (" in line for line in lines) == 1
    assert "Skor putaran ini" in result.output  # the score table at the end
    assert "Beginning flow run" not in result.output and "Finished in state" not in result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        settings = con.execute("SELECT settings FROM runs").fetchall()[0][0]
        unreachable = con.execute(
            "SELECT count(DISTINCT agency_id) FROM latest_findings WHERE status = 'unreachable'"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert '"max_pages": 40' in settings
    assert unreachable == 1


def test_crawl_refuses_a_bad_registry_and_stores_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("agencies:\n  - {id: a, url: 'ftp://x'}\n")
    db = tmp_path / "pantau.duckdb"
    result = invoke("crawl", "--registry", bad, "--db", db)
    assert result.exit_code == 2
    assert "tidak sah" in result.output
    assert not db.exists()


def test_bad_settings_file_is_named(tmp_path):
    settings = tmp_path / "s.yaml"
    settings.write_text("crawl:\n  max_pagez: 1\n")
    result = invoke("crawl", "--registry", EXAMPLES / "registry-small.csv", "--db",
                    tmp_path / "d.duckdb", "--settings", settings)
    assert result.exit_code == 2 and "max_pagez" in result.output


@pytest.mark.slow
def test_crawl_in_a_real_process_prints_no_prefect_warnings_or_telemetry(tmp_path,
                                                                       fast_settings_file):
    """The terminal of a real `pantau crawl` (its own interpreter, Prefect's own temporary
    server, Prefect's worker threads shutting down at exit) shows the per-agency lines and
    nothing of Prefect: no log lines, no worker-thread timeout warnings, no telemetry notice."""
    import os
    import subprocess
    import sys

    from tests.loopback import LoopbackServer, html

    page = html("<h1>PPID</h1><a href='/profil'>Profil Badan Publik</a>")
    with LoopbackServer({"/": page, "/profil": html("<h1>Profil</h1>")}) as site:
        registry = tmp_path / "registry.csv"
        registry.write_text(f"id,name,url,email,role,parent\nsitus,Dinas Situs,{site.url('/')},"
                            "ppid@situs.example,utama,\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PREFECT_") and k != "DO_NOT_TRACK"}
        done = subprocess.run(
            [sys.executable, "-m", "pantau", "crawl", "--registry", str(registry),
             "--db", str(tmp_path / "pantau.duckdb"), "--settings", str(fast_settings_file)],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
        )
        reminded = subprocess.run(
            [sys.executable, "-m", "pantau", "remind", "--db", str(tmp_path / "pantau.duckdb"),
             "--dry-run", "--settings", str(fast_settings_file)],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[1/1] situs:" in done.stdout
    assert reminded.returncode == 0, reminded.stdout + reminded.stderr
    assert "UJI COBA (--dry-run)" in reminded.stdout
    terminal = done.stdout + done.stderr + reminded.stdout + reminded.stderr
    for noise in ("WARNING", "Warning", "Traceback", "worker thread", "Worker thread",
                  "timed out", "telemetry", "Beginning flow run", "Finished in state",
                  "| INFO", "temporary server"):
        assert noise not in terminal, terminal


def test_an_unforeseen_error_reaches_the_user_as_one_line_and_a_file(tmp_path):
    """A real process whose command fails in a way nobody foresaw (here: a command added for
    the test divides by zero) prints no traceback: one Indonesian line and the file that
    holds the details."""
    import os
    import subprocess
    import sys

    script = ("import sys; from pantau import cli\n"
              "@cli.app.command('meledak')\n"
              "def explode():\n"
              "    raise ZeroDivisionError('contoh')\n"
              "sys.argv = ['pantau', 'meledak']\n"
              "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ), cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    first, second = done.stderr.strip().splitlines()
    assert first == "Galat tak terduga: ZeroDivisionError: contoh"
    details = second.removeprefix("Rincian teknis: ")
    assert "ZeroDivisionError" in open(details, encoding="utf-8").read()
    os.unlink(details)
