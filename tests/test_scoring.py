import pytest

from warehouse.scoring import band, score

W = {"a": 1.0, "b": 1.0, "c": 2.0}


def test_found_counts_one_stale_half_broken_and_missing_zero():
    assert score({"a": "found", "b": "stale", "c": "missing"}, W) == pytest.approx(100 * 1.5 / 4)
    assert score({"a": "broken", "b": "missing", "c": "found"}, W) == 50.0


def test_weights_matter():
    assert score({"a": "missing", "b": "missing", "c": "found"}, W) == 50.0
    assert score({"a": "found", "b": "found", "c": "missing"}, W) == 50.0
    assert score({"a": "found", "b": "missing", "c": "missing"}, W) == 25.0


def test_all_unreachable_has_no_score():
    assert score({k: "unreachable" for k in W}, W) is None
    assert band(None) is None


def test_unreachable_categories_are_left_out_of_the_denominator():
    assert score({"a": "found", "b": "unreachable", "c": "unreachable"}, W) == 100.0


def test_unknown_status_and_category_are_errors():
    with pytest.raises(ValueError, match="unknown status"):
        score({"a": "maybe"}, W)
    with pytest.raises(ValueError, match="no weight"):
        score({"zzz": "found"}, W)


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "Tidak Informatif"),
        (39.99, "Tidak Informatif"),
        (40, "Kurang Informatif"),
        (59.99, "Kurang Informatif"),
        (60, "Cukup Informatif"),
        (79.99, "Cukup Informatif"),
        (80, "Menuju Informatif"),
        (89.99, "Menuju Informatif"),
        (90, "Informatif"),
        (100, "Informatif"),
    ],
)
def test_band_edges(value, expected):
    assert band(value) == expected


def test_band_rejects_out_of_range():
    with pytest.raises(ValueError):
        band(100.01)
    with pytest.raises(ValueError):
        band(-1)


def test_rounding_happens_before_banding():
    weights = {f"k{i}": 1.0 for i in range(3)}
    value = score({"k0": "found", "k1": "found", "k2": "missing"}, weights)
    assert value == 66.67 and band(value) == "Cukup Informatif"
