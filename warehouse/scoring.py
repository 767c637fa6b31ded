"""The compliance score of one agency in one run: one pure function, documented.

Each category earns a credit — ``found`` 1, ``stale`` ½, ``broken`` and ``missing`` 0 — and
the score is the weighted mean of the credits, times 100, rounded to two decimals. The
weights are the checklist's. Categories that could not be checked (``unreachable``) are
left out; an agency with nothing checked (the site was down) has no score (``None``), so a
site that was down never looks like a site that publishes nothing.

The band is the Komisi Informasi qualification the rounded score falls in.
"""

from __future__ import annotations

from collections.abc import Mapping

CREDIT = {"found": 1.0, "stale": 0.5, "broken": 0.0, "missing": 0.0}

# (lower bound, band), highest first: Komisi Informasi's monitoring and evaluation ranges.
BANDS = (
    (90.0, "Informatif"),
    (80.0, "Menuju Informatif"),
    (60.0, "Cukup Informatif"),
    (40.0, "Kurang Informatif"),
    (0.0, "Tidak Informatif"),
)
BAND_NAMES = tuple(name for _, name in BANDS)


def score(statuses: Mapping[str, str], weights: Mapping[str, float]) -> float | None:
    """Weighted score 0–100 from ``{category_id: status}``; None when nothing was checked."""
    unknown = set(statuses) - set(weights)
    if unknown:
        raise ValueError(f"no weight for categories: {', '.join(sorted(unknown))}")
    total = earned = 0.0
    for cat, st in statuses.items():
        if st == "unreachable":
            continue
        weight = weights[cat]
        total += weight
        earned += weight * (CREDIT[st] if st in CREDIT else credit(st))
    if not total:
        return None
    return round(100.0 * earned / total, 2)


def credit(status: str) -> float:
    """The share of a category's weight a status earns (ValueError for an unknown status)."""
    try:
        return CREDIT[status]
    except KeyError:
        raise ValueError(f"unknown status {status!r}") from None


def band(value: float | None) -> str | None:
    """The Komisi Informasi band of a score (None for no score)."""
    if value is None:
        return None
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"score out of range: {value}")
    for lower, name in BANDS:
        if value >= lower:
            return name
    raise AssertionError("unreachable: the last band starts at 0")
