"""A small city for the dashboard tests: six agencies over three weekly runs, every status.

Written with the real ``warehouse.load.write_run``. Categories are the project checklist
(``core.checklist.load_checklist``) when it exists, else ten categories with the contract's
ids spread over the five real groups. Tests compute expected scores with
``warehouse.scoring.score`` over the same statuses, never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from core.registry import Agency
from scrapers.model import Finding
from tests.factories import Cat
from warehouse import db, load, scoring

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"

UTAMA = Agency("setda", "Sekretariat Daerah Kota Contoh", "http://setda.test/",
               "ppid@setda.test", "utama", "")
DINKES = Agency("dinkes", "Dinas Kesehatan Kota Contoh", "http://dinkes.test/",
                "ppid@dinkes.test", "pelaksana", "setda")
DISDIK = Agency("disdik", "Dinas Pendidikan Kota Contoh", "http://disdik.test/",
                "ppid@disdik.test", "pelaksana", "setda")
DISHUB = Agency("dishub", "Dinas Perhubungan Kota Contoh", "http://dishub.test/",
                "", "pelaksana", "setda")
BAPPEDA = Agency("bappeda", "Bappeda Kota Contoh", "http://bappeda.test/",
                 "ppid@bappeda.test", "pelaksana", "setda")
XSS = Agency("uji-xss", f"Dinas Uji {SCRIPT}", "http://xss.test/", "", "pelaksana", "setda")
NEWCOMER = Agency("dispar", "Dinas Pariwisata Kota Contoh", "http://dispar.test/",
                  "ppid@dispar.test", "pelaksana", "setda")

AGENCIES = (UTAMA, DINKES, DISDIK, DISHUB, BAPPEDA, XSS)

RUN_TIMES = (datetime(2026, 10, 19, 2, 0), datetime(2026, 10, 26, 2, 0),
             datetime(2026, 11, 2, 2, 0))

# Ten contract categories over the five groups (used when core.checklist is not there).
FALLBACK = [
    ("profil", "berkala", "Profil badan publik"),
    ("lhkpn", "berkala", "Laporan harta kekayaan pejabat (LHKPN/LHKASN)"),
    ("kinerja", "berkala", "Ringkasan laporan kinerja"),
    ("laporan_keuangan", "berkala", "Ringkasan laporan keuangan"),
    ("serta_merta", "serta_merta", "Informasi yang wajib diumumkan serta merta"),
    ("dip", "setiap_saat", "Daftar Informasi Publik (DIP)"),
    ("renstra_renja", "setiap_saat", "Rencana strategis dan rencana kerja"),
    ("dik", "dikecualikan", "Daftar Informasi yang Dikecualikan"),
    ("sk_ppid", "layanan", "Penetapan (SK) dan struktur PPID"),
    ("formulir_permohonan", "layanan", "Formulir/layanan permohonan informasi"),
]


def categories() -> list:
    try:
        from core.checklist import load_checklist
    except ImportError:
        return [Cat(id=i, group=g, name=n, weight=1.0, position=p)
                for p, (i, g, n) in enumerate(FALLBACK)]
    checklist = load_checklist()
    return list(getattr(checklist, "categories", checklist))


def cycle(cats, *statuses: str) -> dict[str, str]:
    """Category i gets ``statuses[i % len(statuses)]``."""
    return {c.id: statuses[i % len(statuses)] for i, c in enumerate(cats)}


def plan(cats) -> list[dict[Agency, dict[str, str]]]:
    """The statuses of each agency in each of the three runs."""
    return [
        {
            UTAMA: cycle(cats, "found", "found", "stale"),
            DINKES: cycle(cats, "found", "missing"),
            DISDIK: cycle(cats, "missing"),
            DISHUB: cycle(cats, "found", "found", "found", "missing"),
            BAPPEDA: cycle(cats, "missing", "missing", "found"),
        },
        {
            UTAMA: cycle(cats, "found"),
            DINKES: cycle(cats, "found", "missing"),
            DISDIK: cycle(cats, "missing", "broken"),
            DISHUB: cycle(cats, "found", "found", "found", "missing"),
            BAPPEDA: cycle(cats, "found", "missing"),
            XSS: cycle(cats, "found", "missing"),
        },
        {
            UTAMA: cycle(cats, "found"),
            DINKES: cycle(cats, "found", "found", "found", "stale"),
            DISDIK: cycle(cats, "missing", "broken"),
            DISHUB: cycle(cats, "unreachable"),
            BAPPEDA: cycle(cats, "found", "found", "found", "found", "missing"),
            XSS: cycle(cats, "found", "missing"),
        },
    ]


def findings(agency: Agency, statuses: dict[str, str], cats) -> list[Finding]:
    names = {c.id: c.name for c in cats}
    out = []
    for i, (cat, status) in enumerate(statuses.items()):
        published = status in ("found", "stale")
        url = f"{agency.url}dokumen/{cat}.pdf" if published else None
        text = f"{names[cat]} {2026 if status == 'found' else 2023}" if published else None
        if agency is XSS and published:
            text = f"{SCRIPT} {names[cat]}" if i != 2 else f"{IMG} {names[cat]}"
            if i == 0:
                url = "javascript:alert(1)"  # a crawled link that must never be clickable
        out.append(Finding(
            category_id=cat, status=status, evidence_url=url, evidence_text=text,
            page_url=agency.url if published else None,
            document_year=2026 if status == "found" else (2023 if status == "stale" else None),
            matched_rule="label" if published else None,
        ))
    return out


def record(cats, statuses: dict[Agency, dict[str, str]], when: datetime) -> load.RunRecord:
    return load.RunRecord(
        started_at=when - timedelta(minutes=20), finished_at=when, categories=cats,
        outcomes=[load.AgencyOutcome(agency=a, findings=findings(a, st, cats), checked_at=when)
                  for a, st in statuses.items()],
        registry="registry.yaml",
    )


def expected_score(cats, statuses: dict[str, str]) -> float | None:
    return scoring.score(statuses, {c.id: c.weight for c in cats})


@dataclass
class City:
    path: Path
    cats: list
    runs: list[dict[Agency, dict[str, str]]]

    def latest(self, agency: Agency) -> dict[str, str]:
        for statuses in reversed(self.runs):
            if agency in statuses:
                return statuses[agency]
        raise KeyError(agency.id)

    def score(self, agency: Agency, run: int = -1) -> float | None:
        statuses = self.latest(agency) if run == -1 else self.runs[run][agency]
        return expected_score(self.cats, statuses)


def build(path: Path, *, runs: int = 3, reminders: bool = True) -> City:
    """Write the first ``runs`` runs (and a few reminders) to a new database at ``path``."""
    cats = categories()
    planned = plan(cats)[:runs]
    with db.writing(path) as con:
        for statuses, when in zip(planned, RUN_TIMES, strict=False):
            load.write_run(con, record(cats, statuses, when))
        if reminders and runs:
            add_reminders(con, run_id=runs, when=RUN_TIMES[runs - 1] + timedelta(hours=1))
    return City(path, cats, planned)


def add_reminders(con, run_id: int, when: datetime) -> None:
    rows = [
        ("dinkes", "email", "ppid@dinkes.test", "ppid@setda.test", ["lhkpn"], "sent", None, None,
         1, when, when),
        ("disdik", "email", "ppid@disdik.test", "ppid@setda.test", ["profil", "lhkpn"], "failed",
         None, "SMTP 550 mailbox unavailable", 3, when, None),
        ("dishub", "email", None, None, [], "skipped", "situs tidak terjangkau", None, 0, when,
         None),
    ]
    con.executemany(
        "INSERT INTO reminders (agency_id, run_id, channel, recipients, cc, categories, status,"
        " reason, error, attempts, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r[0], run_id, *r[1:]) for r in rows],
    )


def add_run(path: Path, cats, statuses: dict[Agency, dict[str, str]], when: datetime) -> int:
    """One more run, written the way the crawl writes it (``writing`` holds the file only
    for the write)."""
    with db.writing(path) as con:
        return load.write_run(con, record(cats, statuses, when))
