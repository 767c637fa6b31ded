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
from typing import NamedTuple

from core.vocabulary import BAND_NAMES, BANDS, CREDIT, UNREACHABLE, band_of

__all__ = ["BANDS", "BAND_NAMES", "CREDIT", "Scored", "band", "credit", "score", "scored"]


class Scored(NamedTuple):
    """An agency's score in one run and its band (both None when nothing was checked)."""

    score: float | None
    band: str | None


def score(statuses: Mapping[str, str], weights: Mapping[str, float]) -> float | None:
    """Weighted score 0–100 from ``{category_id: status}``; None when nothing was checked."""
    unknown = set(statuses) - set(weights)
    if unknown:
        raise ValueError(f"no weight for categories: {', '.join(sorted(unknown))}")
    total = earned = 0.0
    for cat, st in statuses.items():
        if st == UNREACHABLE:
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
    """The Komisi Informasi band of a score (None for no score); bands are in core.vocabulary."""
    return band_of(value)


def scored(statuses: Mapping[str, str], weights: Mapping[str, float]) -> Scored:
    """``score`` and its ``band`` together."""
    value = score(statuses, weights)
    return Scored(value, band(value))
