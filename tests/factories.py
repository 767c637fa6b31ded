"""Small builders for test data: agencies, categories and runs with chosen statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.registry import Agency
from scrapers.model import Finding
from warehouse.load import AgencyOutcome, RunRecord


@dataclass(frozen=True)
class Cat:
    id: str
    group: str = "berkala"
    name: str = ""
    legal_basis: str = "Perki 1/2021"
    weight: float = 1.0
    freshness: str = "none"
    position: int = 0
    upload_hint: str = ""


def categories(n: int = 4, weights: list[float] | None = None) -> list[Cat]:
    weights = weights or [1.0] * n
    return [Cat(id=f"c{i}", name=f"Kategori {i}", weight=w, position=i) for i, w in enumerate(weights)]


def agency(agency_id: str, role: str = "pelaksana", parent: str = "utama") -> Agency:
    return Agency(id=agency_id, name=f"Dinas {agency_id.title()}", url=f"http://{agency_id}.test/",
                  email=f"ppid@{agency_id}.test", role=role, parent=parent if role == "pelaksana" else "")


def outcome(agency_obj: Agency, statuses: dict[str, str], when: datetime) -> AgencyOutcome:
    findings = [
        Finding(category_id=cat, status=st,
                evidence_url=f"http://{agency_obj.id}.test/{cat}.pdf" if st in ("found", "stale") else None,
                evidence_text=cat, document_year=2026 if st == "found" else None)
        for cat, st in statuses.items()
    ]
    return AgencyOutcome(agency=agency_obj, findings=findings, checked_at=when)


def run(cats: list[Cat], per_agency: dict[Agency, dict[str, str]], when: datetime | None = None) -> RunRecord:
    when = when or datetime(2026, 11, 2, 2, 0)
    return RunRecord(
        started_at=when - timedelta(minutes=5), finished_at=when, categories=cats,
        outcomes=[outcome(a, st, when) for a, st in per_agency.items()], registry="test.yaml",
    )
