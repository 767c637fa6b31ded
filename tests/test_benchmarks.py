"""The benchmarks' machinery at a tiny size: worlds, servers, both crawlers, the recrawl, the
warehouse and the report. These assert structure, never timings (`make bench` measures)."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
import requests

from benchmarks import crawl, run, warehouse
from benchmarks.common import Outcome, Row, cores_busy, machine, percentile
from benchmarks.world import Nginx, PythonServer, WorldSpec, doc_path, find_nginx, generate

TINY_WORLD = WorldSpec(sites=3, pages=5, documents=2)


def check_static_server(world) -> None:
    site = world.sites[0]
    first = requests.get(site.url, timeout=5)
    assert first.status_code == 200 and "<h1>" in first.text
    assert first.headers.get("ETag") and first.headers.get("Last-Modified")
    again = requests.get(site.url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert again.status_code == 304 and again.content == b""
    pdf = requests.get(site.url.rstrip("/") + doc_path(site.index, 0),
                       headers={"Range": "bytes=0-2047"}, timeout=5)
    assert pdf.status_code == 206 and pdf.content.startswith(b"%PDF-") and len(pdf.content) == 2048
    assert requests.get(world.sites[-1].url + "robots.txt", timeout=5).text.startswith("User-agent")


def test_world_has_every_page_within_reach(tmp_path):
    world = generate(TINY_WORLD, tmp_path)
    assert len(world.sites) == 3
    assert len({(s.address, s.port) for s in world.sites}) == 3
    assert len({s.address for s in world.sites}) == 3, "one loopback address per site"
    site_dir = world.site_dir(world.sites[0])
    assert len(list(site_dir.rglob("*.html"))) == TINY_WORLD.pages
    assert len(list(site_dir.rglob("*.pdf"))) == TINY_WORLD.documents
    assert world.load(tmp_path / "world.json") == world


def test_python_fallback_server_speaks_conditional_and_ranged_http(tmp_path):
    world = generate(TINY_WORLD, tmp_path)
    with PythonServer(world, access_log=True) as server:
        check_static_server(world)
    assert server.request_log()


@pytest.mark.skipif(find_nginx(install=False) is None, reason="nginx is not installed")
def test_nginx_serves_the_world_and_logs_request_starts(tmp_path):
    world = generate(TINY_WORLD, tmp_path)
    with Nginx(world, find_nginx(install=False), access_log=True) as server:
        check_static_server(world)
    log = server.request_log()
    assert {host for _, host, *_ in log} >= {world.sites[0].address}
    assert server.process.poll() is not None, "nginx stopped with the block"


@pytest.mark.slow
def test_throughput_and_memory_run_both_crawlers(tmp_path):
    tp, mem = crawl.throughput(crawl.TINY, tmp_path, prefer_nginx=False, log=lambda *_: None)
    expected = TINY_WORLD.sites * TINY_WORLD.pages
    for name in ("pantau", "scrapy"):
        (result,) = tp.raw["runs"][name]
        assert result["pages"] == expected, name
        assert result["documents_ok"] == TINY_WORLD.sites * TINY_WORLD.documents, name
        assert result["elapsed"] > 0 and result["peak_rss_mb"] > 0
    assert "(1)" in tp.rows[0].figure and isinstance(tp.rows[0].met, bool)
    assert "(5)" in mem.rows[0].figure and isinstance(mem.rows[0].met, bool)
    assert not list(tmp_path.iterdir()), "the world is removed afterwards"


@pytest.mark.slow
def test_politeness_measures_wall_time_and_gaps(tmp_path):
    out = crawl.politeness(crawl.TINY, tmp_path, prefer_nginx=False, log=lambda *_: None)
    spec = crawl.TINY.politeness
    assert out.raw["result"]["pages"] == spec.sites * spec.pages
    assert out.raw["bound"] == pytest.approx(spec.pages * crawl.TINY.delay)
    assert out.raw["min_gap"] is not None
    assert [r.figure.startswith("(2)") for r in out.rows][0]


@pytest.mark.slow
def test_recrawl_reuses_the_cache_on_the_second_run(tmp_path):
    out = crawl.recrawl(crawl.TINY, tmp_path, prefer_nginx=False, log=lambda *_: None)
    first, second = out.raw["runs"]
    assert first["pages"] == second["pages"] > 0
    assert second["pages_from_cache"] > 0
    assert second["body_bytes"] < first["body_bytes"]
    assert out.raw["findings_differing"] == 0
    assert len(out.rows) == 2


def test_warehouse_times_every_named_query(tmp_path):
    from warehouse import queries

    out = warehouse.run(warehouse.TINY, tmp_path, log=lambda *_: None)
    raw = out.raw
    size = warehouse.TINY
    assert raw["findings"] == size.agencies * 30
    assert raw["counts"]["runs"] == size.weeks
    assert raw["counts"]["findings"] == (size.weeks - 1) * size.history_agencies * 30 + size.agencies * 30
    timed = {k.split(": ", 1)[1] for k in raw["timings"] if k.startswith(("query: ", "batch: "))}
    assert timed | set(raw["skipped"]) == set(queries.names())
    assert {"ranking", "matrix", "agency_history", "changes", "score_changes"} <= timed
    assert all(len(t) == size.repeat for t in raw["timings"].values())
    assert out.rows[0].figure.startswith("write_run")
    assert raw["write_cpu_seconds"] > 0
    assert any(r.figure.strip().startswith("the commit's CPU") for r in out.rows)


def test_cores_busy_says_how_much_of_the_machine_a_step_used():
    assert cores_busy(3.0, 2.0) == f"3.0 CPU-seconds, 1.5 of {os.cpu_count()} cores busy"
    assert cores_busy(0.0, 0.0).startswith("0.0 CPU-seconds, 0.0 of")


def test_hotspots_name_the_costliest_operators(tmp_path):
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS x, range % 7 AS y FROM range(100000)")
    spots = warehouse.hotspots(con, "SELECT y, count(*) FROM t GROUP BY y ORDER BY y", None)
    assert spots and "ms" in spots[0]


def test_profile_summary_groups_by_pantau_module():
    raw = (
        "run (benchmarks/pantau_runner.py:50);crawl_site (scrapers/crawling/crawler.py:70);"
        "extract_page (scrapers/detection/extract.py:200) 30\n"
        "run (benchmarks/pantau_runner.py:50);_attempt (scrapers/crawling/fetch.py:300);"
        "recv_into (socket.py:700) 10\n"
    )
    text = crawl.summarize_profile(raw, 2, {"pages": 10, "elapsed": 1.0})
    assert "HTML parsing" in text and "75 %" in text
    assert "`extract_page (scrapers/detection/extract.py:200)`" in text


def test_report_table_and_results(tmp_path):
    rows = [Row("figure a", "1", "2 (Scrapy)", "0.50×", "≥ 1.0×", False),
            Row("figure b", "1", "—", "—", "informative", None)]
    text = run.table(rows)
    assert text.splitlines()[0].startswith("| figure")
    assert "NOT MET" in text and "—" in text
    args = dataclasses.make_dataclass("A", [("quick", bool)])(quick=True)
    md = run.results_markdown([Outcome("x", rows, "details")], machine(shutil.which("nginx")), args, 60)
    assert "## Machine" in md and "Python" in md and "Not met: figure a" in md
    assert percentile([1, 2, 3, 4], 50) == 2.5


def test_run_refuses_unknown_benchmarks(capsys):
    with pytest.raises(SystemExit):
        run.main(["--only", "nonsense"])
    assert "unknown benchmark" in capsys.readouterr().err


def test_results_file_is_in_the_package():
    assert Path(run.RESULTS).parent.name == "benchmarks"


def test_flow_profile_areas_prefer_pantau_work_over_prefect():
    raw = (
        "run_task_sync (prefect/task_engine.py:1);fetch_site (flows/crawl.py:49);"
        "crawl_site (scrapers/crawling/crawler.py:80) 2\n"
        "run_task_sync (prefect/task_engine.py:1);visit_collection (prefect/utilities/collections.py:515) 6\n"
        "main (x.py:1) 2\n"
    )
    areas, samples = crawl.classify_stacks(raw, crawl.FLOW_AREAS)
    assert samples == 10
    assert areas["crawling (crawl_site)"] == 2
    assert areas["Prefect walking task parameters (visit_collection)"] == 6
    assert areas["other"] == 2


@pytest.mark.browser
def test_render_benchmark_renders_exactly_the_client_rendered_sites(tmp_path):
    from benchmarks import render

    outcome = render.run(render.TINY, tmp_path, prefer_nginx=find_nginx(install=False) is not None,
                         log=lambda *_: None)
    share, documents = outcome.rows[2], outcome.rows[3]
    assert share.met and share.pantau.startswith("25% (1/4)")
    assert documents.met
    raw = outcome.raw
    assert raw["rendered"]["pages_rendered"] == render.TINY.world.pages
    assert raw["plain"]["pages_rendered"] == 0 and raw["plain"]["browser_peak_rss_mb"] == 0
    assert raw["never"]["unreachable"] == 1


@pytest.mark.skipif(find_nginx(install=False) is None, reason="nginx is not installed")
def test_national_world_serves_a_mix_of_sites_and_the_pipeline_stores_them(tmp_path):
    """(9)/(10)'s machinery at 40 sites, without Prefect (the flow is timed only by make bench)."""
    from benchmarks import national

    world = national.generate(tmp_path / "world", 40)
    kinds = [national.kind_of(i) for i in range(40)]
    with national.NationalNginx(world, find_nginx(install=False)):
        assert requests.get(world.url(0), timeout=5).status_code == 200
        e500 = kinds.index("e500")
        assert requests.get(world.url(e500), timeout=5).status_code == 500
        moved = requests.get(world.url(kinds.index("moved")), timeout=5, allow_redirects=False)
        assert moved.status_code == 301 and moved.headers["Location"].endswith("/ppid/")
        with pytest.raises(requests.ConnectionError):
            requests.get(world.url(kinds.index("refused")), timeout=5)
        registry = world.write_registry(tmp_path / "registry.yaml")
        settings = national.settings_file(tmp_path / "settings.yaml", "threads", 4)
        result = national.run_child(["direct", str(registry), str(tmp_path / "n.duckdb"),
                                     str(settings)], timeout=300)
    assert result["agencies"] == 40 and result["findings"] == 40 * 30
    assert result["unreachable"] == sum(k in ("e500", "waf", "refused") for k in kinds)
    assert result["found"] > 0 and result["pages"] > 0
    assert result["peak_rss_mb"] > 0 and result["write_seconds"] >= 0
    phases = result["phase_peak_mb"]  # where the peak is: measured per phase, the run's is the top
    assert set(phases) == {"crawl", "flush", "commit"}
    assert result["peak_rss_mb"] >= max(phases.values()) > result["rss_at_start_mb"] > 0
    rows, details = national.report(
        {40: {**result, "worker_peak_rss_mb": [1.0, 1.0]}},
        {"best": {"flow": result, "direct": result}, "share": 0.0}, national.TINY)
    assert rows[0].figure.startswith("(9)") and rows[-1].figure.startswith("(10)")
    assert "| 40 |" in details
    where = next(r for r in rows if r.figure.strip().startswith("where the flow process's peak"))
    assert where.pantau.startswith("before ") and "commit " in where.pantau
    cpu = next(r for r in rows if r.figure.strip().startswith("the write's CPU"))
    assert cpu.pantau.endswith(f"of {os.cpu_count()} cores busy"), "explains the write's time"


@pytest.mark.slow
def test_smart_recrawl_benchmark_compares_with_the_first_run_and_a_full_recrawl(tmp_path):
    from benchmarks import smart_recrawl

    out = smart_recrawl.run(smart_recrawl.TINY, tmp_path, prefer_nginx=False, log=lambda *_: None)
    runs = out.raw["runs"]
    assert runs["first"]["full"] == runs["full"]["full"] == smart_recrawl.TINY.world.sites
    assert runs["smart"]["smart"] == smart_recrawl.TINY.world.sites
    assert runs["smart"]["requests"] < runs["first"]["requests"]
    assert out.raw["changes"]["pages"] > 0 and out.raw["findings"]["changed_by_full"] > 0
    assert out.raw["findings"]["missed"] == 0
    assert [r.figure.startswith("(8)") for r in out.rows][0] and len(out.rows) == 3
    assert not list(tmp_path.iterdir()), "the world is removed afterwards"


def test_the_streamed_run_s_memory_rows_say_where_the_peak_is():
    """A peak over the bound comes with its phases (the profile that explains the miss)."""
    from benchmarks import national

    run = {"peak_rss_mb": 300.0, "rss_at_start_mb": 110.0,
           "phase_peak_mb": {"crawl": 200.0, "flush": 250.0, "commit": 300.0}}
    rows = national.memory_rows({"direct": run}, 20_000)
    assert rows[0].met is False and rows[0].pantau == "300 MB"
    assert rows[1].pantau == "before 110, crawling 200, staging flushes 250, commit 300 MB"
    assert "(before 110, crawling 200" in national.memory_details(
        {"direct": {**run, "pages": 20_000, "wall": 10.0, "write_seconds": 0.1}}, 20_000)
