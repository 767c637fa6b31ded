"""The dashboard's review writes on a real DuckDB file: a save takes milliseconds, waits
while another process (the crawl) holds the file and then says so in Indonesian, and a
reviewer removed from the users file cannot save from a page still open."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dashboard import reviewing
from tests import dashboard_fixture as fx
from warehouse import db, reviewers

AT = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def city(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_REVIEW_WRITE_WAIT", "1.0")
    built = fx.build(tmp_path / "pantau.duckdb")
    reviewers.add(built.path, tmp_path / "pantau.users.json", "budi", "kata-sandi-budi", AT,
                  min_length=10)
    return built


def token(city, agency_id, category_id):
    with db.read_only(city.path) as con:
        row = con.execute("SELECT run_id, review_id, review_version FROM latest_finding_reviews "
                          "WHERE agency_id = ? AND category_id = ?",
                          [agency_id, category_id]).fetchall()[0]
    return tuple(row)


def test_a_save_is_short_and_confirms(city):
    category = next(c for c, s in city.latest(fx.DINKES).items() if s == "found")
    started = time.monotonic()
    outcome = reviewing.confirm(city.path, "budi", fx.DINKES.id, category,
                                token(city, fx.DINKES.id, category))
    elapsed = time.monotonic() - started
    assert outcome.ok and "dibenarkan" in outcome.message
    assert elapsed < 5.0, elapsed  # open, write, commit, close: holds the file briefly


def test_a_save_while_another_process_writes_waits_then_says_busy(city):
    category = next(c for c, s in city.latest(fx.DISDIK).items() if s == "missing")
    drawn = token(city, fx.DISDIK.id, category)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(30)", str(city.path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        outcome = reviewing.override(city.path, "budi", fx.DISDIK.id, category, "found",
                                     "dokumen hanya untuk pengguna yang masuk", drawn)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert not outcome.ok and outcome.level == "warning"
    assert "sedang ditulis" in outcome.message and "tidak hilang" in outcome.message
    assert 0.9 <= waited < 10, waited
    again = reviewing.override(city.path, "budi", fx.DISDIK.id, category, "found",
                               "dokumen hanya untuk pengguna yang masuk", drawn)
    assert again.ok, again.message


def test_a_removed_reviewer_cannot_save_from_an_open_page(city, tmp_path):
    reviewers.remove(city.path, tmp_path / "pantau.users.json", "budi", AT)
    category = next(c for c, s in city.latest(fx.DINKES).items() if s == "found")
    outcome = reviewing.confirm(city.path, "budi", fx.DINKES.id, category,
                                token(city, fx.DINKES.id, category))
    assert not outcome.ok and "tidak ada lagi" in outcome.message


def test_the_page_tells_how_to_add_the_first_reviewer(tmp_path):
    built = fx.build(tmp_path / "kosong.duckdb", runs=1, reminders=False)
    hint = reviewing.setup_hint(built.path)
    assert "pantau users add" in hint and "kosong.users.json" in hint
    (tmp_path / "kosong.users.json").write_text("[")
    assert "kosong.users.json" in reviewing.setup_hint(built.path)
