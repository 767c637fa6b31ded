"""`pantau demo` end to end (without the dashboard, which has its own browser test)."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from pantau.cli import app
from sample_world import SampleWorld

pytestmark = pytest.mark.slow


def test_demo_crawls_the_sample_world_three_times_with_changes_between(prefect_api, tmp_path):
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path), "--no-dashboard"])
    assert result.exit_code == 0, result.output
    assert "Putaran 3/3" in result.output
    con = duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT id, status FROM runs ORDER BY id").fetchall() == [
            (1, "completed"), (2, "completed"), (3, "completed")]
        changed = con.execute("""
            SELECT f1.agency_id, f1.category_id, f1.status, f3.status
            FROM findings f1 JOIN findings f3 USING (agency_id, category_id)
            WHERE f1.run_id = 1 AND f3.run_id = 3 AND f1.status <> f3.status""").fetchall()
        history = con.execute("SELECT count(DISTINCT run_id) FROM score_history").fetchall()[0][0]
        client_rendered = dict(con.execute(
            "SELECT category_id, status FROM latest_findings WHERE agency_id = 'bkd'").fetchall())
    finally:
        con.close()
    world = SampleWorld()
    expected = {(site, cat) for site in world.sites
                for cat, status in world.labels(site, 1).items()
                if world.labels(site, 3)[cat] != status}
    assert history == 3
    assert expected, "the sample world changes between epochs 1 and 3"
    assert {(a, c) for a, c, _, _ in changed} == expected
    # The client-rendered site (an empty Next.js shell whose lists come from a JSON API) is
    # rendered and found as a person in a browser sees it.
    assert world.render_needed("bkd")
    assert client_rendered == world.labels("bkd", 3)


def test_a_busy_dashboard_port_is_refused_before_any_crawl(tmp_path):
    """Port taken (by --port or PANTAU_DASHBOARD_PORT): a clear message at once, no
    traceback, no crawl started, nothing written."""
    import os
    import socket
    import subprocess
    import sys

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-c", "from pantau.cli import main; main()", "demo",
                   "--dir", str(tmp_path / "demo")]
        for extra, env in (([ "--port", str(port)], {}),
                           ([], {"PANTAU_DASHBOARD_PORT": str(port)})):
            answer = subprocess.run(command + extra, capture_output=True, text=True,
                                    timeout=120, env={**os.environ, **env})
            assert answer.returncode == 1, answer.stdout + answer.stderr
            assert f"Port {port} di 127.0.0.1 sudah dipakai" in answer.stderr
            assert "make demo PORT=N" in answer.stderr
            assert "Traceback" not in answer.stderr + answer.stdout
            assert "Crawl 1/3" not in answer.stdout
            assert not (tmp_path / "demo" / "demo.duckdb").exists()
