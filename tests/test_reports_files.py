"""``pantau report``: the report files a user gets from the command line."""

import subprocess
import sys

import pypdf

from tests import dashboard_fixture as fx


def pantau(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from pantau.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_report_writes_the_city_and_every_agency(tmp_path):
    city = fx.build(tmp_path / "city.duckdb")
    out = tmp_path / "laporan"
    answer = pantau("report", "--db", str(city.path), "--out", str(out), cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    names = sorted(p.name for p in out.iterdir())
    expected = ["laporan-kota"] + [f"laporan-{a.id}" for a in fx.AGENCIES]
    assert names == sorted(f"{stem}.{ext}" for stem in expected for ext in ("html", "pdf"))
    assert "berkas laporan ditulis" in answer.stdout
    text = pypdf.PdfReader(out / "laporan-kota.pdf").pages[0].extract_text()
    assert "Laporan kepatuhan PPID kota" in text


def test_report_for_one_agency_and_a_clear_error_for_an_unknown_one(tmp_path):
    city = fx.build(tmp_path / "city.duckdb")
    out = tmp_path / "satu"
    answer = pantau("report", "--db", str(city.path), "--out", str(out), "--agency", "dinkes",
                    cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert sorted(p.name for p in out.iterdir()) == ["laporan-dinkes.html", "laporan-dinkes.pdf"]
    wrong = pantau("report", "--db", str(city.path), "--out", str(out), "--agency", "nope",
                   cwd=tmp_path)
    assert wrong.returncode == 1
    assert "laporan: badan publik 'nope' tidak ada" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    missing = pantau("report", "--db", str(tmp_path / "none.duckdb"), "--out", str(out),
                     cwd=tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
