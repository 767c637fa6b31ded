"""The project's vocabulary, declared once: finding statuses, checklist groups, score bands,
changes between runs, reminder states — each with the Indonesian word users see.

Everything user-facing takes its words from here: scoring (credits, bands), the dashboard,
the e-mails, the CLI and the SQL (named queries receive these tuples as ``$parameters``
instead of repeating ``CASE`` lists). Two terms are fixed for the whole UI: a crawl run is a
**putaran** (``RUN``), and a site that could not be checked is **tidak terjangkau**
(``UNREACHABLE_WORD``).

Words are given in sentence case (``Tidak ditemukan``); use ``lower()`` inside a sentence.
"""

from __future__ import annotations

# ---- finding statuses (the contract's `status` column) ----------------------------------
FOUND = "found"
STALE = "stale"
BROKEN = "broken"
MISSING = "missing"
UNREACHABLE = "unreachable"
STATUSES = (FOUND, STALE, BROKEN, MISSING, UNREACHABLE)
"""Every status, in the order the dashboard lists them."""

PUBLISHED = (FOUND, STALE)
"""Statuses under which the agency publishes the category (evidence that counts)."""
LACKING = (MISSING, BROKEN, STALE)
"""Statuses a reminder asks the agency to fix, in the order the e-mail lists them."""
WITH_EVIDENCE = (FOUND, STALE, BROKEN)
"""Statuses whose finding points at evidence that answered (or failed to): these keep an
evidence bundle (URL chain, HTTP status, type, size, SHA-256)."""

STATUS_WORDS = {
    FOUND: "Ditemukan",
    STALE: "Kedaluwarsa",
    BROKEN: "Tautan rusak",
    MISSING: "Tidak ditemukan",
    UNREACHABLE: "Tidak terjangkau",
}

CREDIT = {FOUND: 1.0, STALE: 0.5, BROKEN: 0.0, MISSING: 0.0}
"""What each checked status earns in the score; ``unreachable`` is not checked and earns
nothing nor counts (see ``warehouse.scoring``)."""

# ---- the two terms fixed for the whole UI -----------------------------------------------
RUN = "putaran"
"""One crawl of every agency (a run): "putaran #3", "putaran terakhir"."""
UNREACHABLE_WORD = STATUS_WORDS[UNREACHABLE].lower()
"""A site that could not be checked: "tidak terjangkau"."""
BLOCKED = "diblokir"
"""How the reason of an unreachable site begins when it refuses the monitor (HTTP 401/403 to
the start page, or to every page after it: a WAF, a geo-block, a log-in wall)."""


def is_blocked(error: object) -> bool:
    """Whether an unreachable site's reason says it blocks the monitor."""
    return isinstance(error, str) and error.startswith(BLOCKED)

# ---- checklist groups -------------------------------------------------------------------
GROUPS = ("berkala", "serta_merta", "setiap_saat", "dikecualikan", "layanan")
GROUP_WORDS = {
    "berkala": "Informasi berkala",
    "serta_merta": "Informasi serta merta",
    "setiap_saat": "Informasi setiap saat",
    "dikecualikan": "Informasi dikecualikan",
    "layanan": "Layanan informasi",
}

# ---- agency roles -----------------------------------------------------------------------
ROLES = ("utama", "pelaksana")
ROLE_WORDS = {"utama": "PPID Utama", "pelaksana": "PPID Pelaksana"}

# ---- score bands (Komisi Informasi; the names are already Indonesian) -------------------
BANDS = (
    (90.0, "Informatif"),
    (80.0, "Menuju Informatif"),
    (60.0, "Cukup Informatif"),
    (40.0, "Kurang Informatif"),
    (0.0, "Tidak Informatif"),
)
"""(lower bound, band), best first: Komisi Informasi's monitoring and evaluation ranges."""
BAND_NAMES = tuple(name for _, name in BANDS)
NO_SCORE = STATUS_WORDS[UNREACHABLE]
"""Shown instead of a band for an agency whose site could not be crawled (no score)."""

# ---- what changed for a category between two runs ---------------------------------------
CHANGE_BY_STATUS = {
    FOUND: "newly_found",
    MISSING: "newly_missing",
    BROKEN: "became_broken",
    STALE: "became_stale",
    UNREACHABLE: "became_unreachable",
}
"""The change a category went through, named by the status it ended in."""
CHANGES = (*CHANGE_BY_STATUS.values(), "other")
CHANGE_WORDS = {
    "newly_found": "Baru ditemukan",
    "newly_missing": "Baru hilang",
    "became_broken": "Menjadi rusak",
    "became_stale": f"Menjadi {STATUS_WORDS[STALE].lower()}",
    "became_unreachable": f"Menjadi {UNREACHABLE_WORD}",
    "other": "Lainnya",
}

# ---- reminders --------------------------------------------------------------------------
REMINDER_STATUS_WORDS = {
    "pending": "Menunggu",
    "sent": "Terkirim",
    "failed": "Gagal",
    "skipped": "Dilewati",
}
REMINDER_KIND_WORDS = {
    "reminder": "Pengingat",
    "digest": f"Ringkasan situs {UNREACHABLE_WORD}",
}


# ---- trust: confirmation, site health, last known state (issue 13) ---------------------
UNCONFIRMED_WORD = "belum dikonfirmasi"
"""A finding whose drop awaits its re-check (its published status is still shown)."""
HELD = "held"
"""The change of a category whose published status stayed while the detector disagreed."""
HELD_WORD = "Ditahan"
HELD_WORDS = {
    "unconfirmed": f"Penurunan {UNCONFIRMED_WORD}",
    "site_changed": "Ditahan: situs berubah",
    "evidence_live": "Tidak dipercaya: bukti lama masih dapat dibuka",
    "incomplete": f"Temuan pertama {UNCONFIRMED_WORD} (pemeriksaan terganggu)",
}
"""Why a finding's status is not the detector's (``findings.held_reason``)."""
SITE_CHANGED_WORD = "Situs berubah"
"""A run whose site changed (new layout or platform): drops and reminders held for review."""
STABLE_WORD = "Stabil"


# ---- declared evidence: an OPD's "klaim bukti" (issue 14) -------------------------------
CLAIM_WORD = "Klaim bukti"
"""A declaration: where an OPD says it publishes a category."""
CLAIM_CONFIRMED_WORD = "terverifikasi"
"""A declaration the latest crawl confirmed (detection found the category at its URL)."""
CLAIM_UNVERIFIED_WORD = "belum terverifikasi"
"""A declaration the latest crawl could not confirm (the reason is shown beside it)."""
CLAIM_UNCHECKED_WORD = "belum diperiksa"
"""A declaration no crawl has checked yet."""


def claim_word(confirmed: bool | None) -> str:
    """``terverifikasi``, ``belum terverifikasi`` or (never checked) ``belum diperiksa``."""
    if confirmed is None or confirmed != confirmed:  # None or NaN
        return CLAIM_UNCHECKED_WORD
    return CLAIM_CONFIRMED_WORD if confirmed else CLAIM_UNVERIFIED_WORD


# ---- crawl modes: full or smart recrawl (issue 16) ---------------------------------------
FULL_CRAWL = "full"
SMART_CRAWL = "smart"
CRAWL_MODES = (FULL_CRAWL, SMART_CRAWL)
CRAWL_MODE_WORDS = {FULL_CRAWL: "Penuh", SMART_CRAWL: "Cerdas"}
"""A full crawl asks every page again; a smart one only what may have changed."""
MIXED_CRAWL_WORD = "Campuran"
"""A run in which some agencies were crawled fully and the others smartly."""
FULL_REASONS = {
    "requested": "diminta (--full)",
    "first": "putaran pertama situs ini",
    "unreachable": f"{UNREACHABLE_WORD} pada {RUN} sebelumnya",
    "site_changed": f"{SITE_CHANGED_WORD.lower()} pada {RUN} sebelumnya",
    "platform": "platform situs berganti",
    "url": "alamat situs di registry berganti",
    "schedule": "jadwal crawl penuh",
    "disabled": "crawl cerdas dimatikan",
}
"""Why an agency got a full crawl (``agency_runs.crawl_reason`` starts with one of these)."""


def crawl_mode_word(mode: str | None) -> str:
    """``Penuh``, ``Cerdas`` or ``Campuran`` (the mode itself when unknown, '' for None)."""
    if mode == "mixed":
        return MIXED_CRAWL_WORD
    return CRAWL_MODE_WORDS.get(mode or "", mode or "")


def run_crawl_word(full: int, smart: int) -> str:
    """A run's crawl from how many agencies were crawled each way: ``crawl cerdas``,
    ``crawl penuh`` or ``crawl campuran (28 cerdas, 2 penuh)``; "" for none."""
    if not full and not smart:
        return ""
    if not smart or not full:
        return f"crawl {crawl_mode_word(SMART_CRAWL if smart else FULL_CRAWL).lower()}"
    return (f"crawl {MIXED_CRAWL_WORD.lower()} ({smart} {crawl_mode_word(SMART_CRAWL).lower()}, "
            f"{full} {crawl_mode_word(FULL_CRAWL).lower()})")


def last_seen_word(days: int | None) -> str:
    """``terakhir terlihat 12 hari lalu`` (``hari ini`` for 0; never seen for None)."""
    if days is None:
        return "belum pernah terlihat"
    return "terakhir terlihat hari ini" if days <= 0 else f"terakhir terlihat {days} hari lalu"


def status_word(status: str | None) -> str:
    """The Indonesian word for a status (the status itself when unknown, '' for None)."""
    return STATUS_WORDS.get(status or "", status or "")


def group_word(group: str | None) -> str:
    """The Indonesian name of a checklist group (a readable fallback for a region's own)."""
    return GROUP_WORDS.get(group or "", (group or "").replace("_", " ").capitalize())


def role_word(role: str | None) -> str:
    """``PPID Utama`` or ``PPID Pelaksana``."""
    return ROLE_WORDS.get(role or "", role or "")


def band_of(score: float | None) -> str | None:
    """The Komisi Informasi band a score falls in (None for no score)."""
    if score is None:
        return None
    if not 0.0 <= score <= 100.0:
        raise ValueError(f"score out of range: {score}")
    for lower, name in BANDS:
        if score >= lower:
            return name
    raise AssertionError("the last band starts at 0")


def band_word(band: str | None) -> str:
    """The band, or "Tidak terjangkau" for an agency without a score (None or NaN)."""
    if band is None or band != band:  # None or NaN
        return NO_SCORE
    return band


def run_word(run_id: int) -> str:
    """``Putaran #3``."""
    return f"{RUN.capitalize()} #{run_id}"


def sql_parameters() -> dict[str, list[str]]:
    """The vocabulary as named-query parameters (``$lacking``, ``$published`` …): SQL files
    receive the lists instead of repeating them."""
    return {
        "statuses": list(STATUSES),
        "published": list(PUBLISHED),
        "lacking": list(LACKING),
        "with_evidence": list(WITH_EVIDENCE),
        "change_statuses": list(CHANGE_BY_STATUS),
        "change_names": list(CHANGE_BY_STATUS.values()),
    }


# ---- reviews: confirmations and overrides by a signed-in reviewer (issue 14) -------------
SOURCE_CRAWLER, SOURCE_DECLARED, SOURCE_OVERRIDE = "crawler", "declared", "override"
STATUS_SOURCES = (SOURCE_CRAWLER, SOURCE_DECLARED, SOURCE_OVERRIDE)
"""Where a finding's effective status comes from (``latest_findings.status_source``)."""
SOURCE_WORDS = {
    SOURCE_CRAWLER: "Pemantau otomatis",
    SOURCE_DECLARED: "Klaim bukti OPD",
    SOURCE_OVERRIDE: "Koreksi peninjau",
}
OVERRIDE_WORD = "Dikoreksi"
"""The label of a finding whose status a reviewer overrode (shown wherever the status is)."""
OVERRIDE_MARK = "✎"
"""The mark beside an overridden status in tables, the matrix and reports."""
REVIEW_CONFIRMED_WORD = "Dibenarkan peninjau"
"""A finding a reviewer confirmed as the crawler found it."""
REVIEW_KIND_WORDS = {"confirm": "Dibenarkan", "override": OVERRIDE_WORD}
LAPSE_WORDS = {
    "detector_changed": "Gugur: status dari pemantau berubah",
    "evidence_changed": "Gugur: isi bukti berubah (SHA-256 lain)",
}
"""Why an override lapsed by itself (``reviews.lapse_reason``)."""
REVIEW_STATE_WORDS = {"active": "Berlaku", "lapsed": "Gugur", "revoked": "Dicabut"}
AUDIT_ACTION_WORDS = {
    "user_add": "Pengguna ditambahkan",
    "user_remove": "Pengguna dihapus",
    "signin": "Masuk",
    "signin_failed": "Gagal masuk",
    "signin_locked": "Masuk ditolak (terlalu banyak percobaan)",
    "review_confirm": "Temuan dibenarkan",
    "override": "Status dikoreksi",
    "override_revoked": "Koreksi dicabut",
    "override_replaced": "Koreksi diganti",
    "override_applied": "Koreksi diterapkan pada putaran baru",
    "override_lapsed": "Koreksi gugur",
    "review_conflict": "Simpan ditolak (sudah ditinjau orang lain)",
    "rescore": "Nilai dihitung ulang",
    "declaration_added": "Klaim bukti diajukan",
    "declaration_replaced": "Klaim bukti diganti",
    "declaration_withdrawn": "Klaim bukti ditarik",
    "declaration_refused": "Klaim bukti ditolak",
    "declaration_confirmed": "Klaim bukti terverifikasi",
    "declaration_unconfirmed": "Klaim bukti belum terverifikasi",
}
"""The audit trail's actions as the dashboard names them (unknown ones are shown as stored)."""


def source_word(source: str | None) -> str:
    """The Indonesian name of a status source (``crawler`` when unknown)."""
    return SOURCE_WORDS.get(source or SOURCE_CRAWLER, source or "")


def overridden_status_word(status: str | None) -> str:
    """``Ditemukan ✎ (dikoreksi)``: an overridden status, marked as such."""
    return f"{status_word(status)} {OVERRIDE_MARK} ({OVERRIDE_WORD.lower()})"
