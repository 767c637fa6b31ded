from flows.summary import run_summary, summary_markdown
from tests import factories as f


def test_summary_counts_unreachable_and_sorts_biggest_drops():
    cats = f.categories(2)
    record = f.run(cats, {
        f.agency("a"): {"c0": "found", "c1": "found"},
        f.agency("b"): {"c0": "missing", "c1": "found"},
        f.agency("down"): {"c0": "unreachable", "c1": "unreachable"},
    })
    record.outcomes[2].error = "connection refused"
    previous = {"a": 90.0, "b": 80.0, "down": 70.0}
    summary = {"run_id": 7, **run_summary(record, previous)}
    assert [(s["agency_id"], s["score"], s["band"]) for s in summary["scores"]] == [
        ("a", 100.0, "Informatif"), ("b", 50.0, "Kurang Informatif"), ("down", None, None)]
    assert summary["agencies"] == 3 and summary["unreachable"] == 1
    assert summary["average_score"] == 75.0
    assert [d["agency_id"] for d in summary["biggest_drops"]] == ["b"]
    assert summary["biggest_drops"][0]["delta"] == -30.0
    text = summary_markdown(summary)
    assert "| b | 80.00 | 50.00 | -30.00 |" in text
    assert "down: connection refused" in text
    assert "Putaran #7" in text


def test_the_summary_counts_full_and_smart_crawls_and_the_artifact_names_them():
    from flows.summary import run_summary, summary_markdown
    from warehouse.load import AgencySummary

    agencies = [AgencySummary("a", "A", True, None, 80.0, "Menuju Informatif", crawl_mode="smart"),
                AgencySummary("b", "B", True, None, 60.0, "Cukup", crawl_mode="full"),
                AgencySummary("c", "C", False, "refused", None, None)]
    summary = run_summary(agencies, {})
    assert summary["crawl_modes"] == {"full": 1, "smart": 1}
    text = summary_markdown({**summary, "run_id": 7})
    assert "- Crawl: crawl campuran (1 cerdas, 1 penuh)" in text
