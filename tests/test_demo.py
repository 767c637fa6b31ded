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
    finally:
        con.close()
    world = SampleWorld()
    expected = {(site, cat) for site in world.sites
                for cat, status in world.labels(site, 1).items()
                if world.labels(site, 3)[cat] != status}
    assert history == 3
    assert expected, "the sample world changes between epochs 1 and 3"
    assert {(a, c) for a, c, _, _ in changed} == expected
