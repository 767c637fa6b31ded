from flows.summary import run_summary, summary_markdown
from tests import factories as f


def test_summary_counts_unreachable_and_sorts_biggest_drops():
    cats = f.categories(2)
    outcomes = [
        f.outcome(f.agency("a"), {"c0": "found", "c1": "found"}, None),
        f.outcome(f.agency("b"), {"c0": "missing", "c1": "found"}, None),
        f.outcome(f.agency("down"), {"c0": "unreachable", "c1": "unreachable"}, None),
    ]
    outcomes[2].error = "connection refused"
    current = [("a", 100.0, "Informatif"), ("b", 50.0, "Kurang Informatif"), ("down", None, None)]
    previous = {"a": 90.0, "b": 80.0, "down": 70.0}
    summary = run_summary(7, outcomes, current, previous)
    assert summary["agencies"] == 3 and summary["unreachable"] == 1
    assert summary["average_score"] == 75.0
    assert [d["agency_id"] for d in summary["biggest_drops"]] == ["b"]
    assert summary["biggest_drops"][0]["delta"] == -30.0
    text = summary_markdown(summary)
    assert "| b | 80.00 | 50.00 | -30.00 |" in text
    assert "down: connection refused" in text
    assert cats  # categories are not needed for the summary
