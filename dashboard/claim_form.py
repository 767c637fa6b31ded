"""The declaration form's data: who the link lets in, and storing what they declare.

The page (``dashboard/views/klaim.py``) calls these functions and holds no SQL nor rules.
Opening: the token in the link (``?agency=…&token=…``) is checked (``core.tokens``: genuine,
unexpired, for the agency the link names, not spent yet). Submitting: each entry is checked
(length, http(s), on the agency's own site or a known publication host, an address the
agency's crawl may reach: the crawler's own rules through ``warehouse.claims``), then the
token is spent and the declarations opened in one short write transaction. Every refusal is
an ``audit_log`` row (``declaration_refused``) and changes nothing else.

DuckDB has one writer: a write here opens the file only for its few milliseconds and, while
the crawl holds it, retries for ``WRITE_WAIT`` seconds, then tells the OPD to send again
(nothing is lost: the token is not spent by a write that did not happen).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from core.clock import local_now
from core.declarations import MAX_NOTE_CHARS, MAX_URL_CHARS, Declaration
from core.formats import moment
from core.settings import Settings, SettingsError, load_settings
from core.tokens import EXPIRED, FormToken, TokenError, verify_token
from core.vocabulary import claim_word, status_word
from warehouse import audit, claims, db, queries

WRITE_WAIT = 8.0
"""Seconds a submission retries while the crawl holds the database file."""
FORM_OFF = ("Formulir klaim bukti tidak aktif: PPID Utama belum mengatur kunci penandatangan "
            "tautan (PANTAU_CLAIM_SECRET). Hubungi PPID Utama untuk mengajukan bukti.")
NO_TOKEN = ("Formulir ini hanya dapat dibuka melalui tautan di e-mail pengingat Pantau PPID "
            "yang dikirim ke PPID badan publik Saudara.")
FORGED = ("Tautan tidak sah (tanda tangan tidak cocok). Gunakan tautan persis seperti di "
          "e-mail pengingat terbaru.")
OTHER_AGENCY = ("Tautan ini dibuat untuk badan publik lain; klaim hanya dapat diajukan untuk "
                "badan publik penerima tautan.")
UNKNOWN_AGENCY = "Badan publik pada tautan ini tidak terdaftar dalam pemantauan."
SPENT = ("Tautan ini sudah dipakai untuk mengirim klaim bukti. Setiap tautan berlaku untuk "
         "satu kali pengiriman; tautan baru datang bersama e-mail pengingat berikutnya.")
BUSY = ("Basis data sedang ditulis oleh proses pemantauan. Kirim ulang formulir dalam beberapa "
        "saat; tautan belum terpakai.")


class FormRefused(Exception):
    """The link or the submission is refused; ``messages`` are for the OPD (Indonesian)."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class FormOff(FormRefused):
    """No secret is configured: the form is off."""


class FormBusy(FormRefused):
    """The crawl held the database for longer than a submission waits."""


@dataclass(frozen=True)
class CategoryChoice:
    """One category the OPD may declare for, with its latest status."""

    category_id: str
    name: str
    group: str
    status: str
    status_word: str


@dataclass(frozen=True)
class FormAccess:
    """What a valid link opens: one agency's form until ``token.expires_at``."""

    token: FormToken
    agency_id: str
    agency_name: str
    agency_url: str
    categories: tuple[CategoryChoice, ...] = ()
    claims: tuple[dict[str, Any], ...] = ()
    """The agency's open declarations with their latest check (``open_claims``)."""
    expires_text: str = ""


@dataclass
class Entry:
    """One declaration as typed into the form."""

    category_id: str
    url: str = ""
    note: str = ""
    problems: list[str] = field(default_factory=list)


def form_settings() -> Settings:
    """The settings (environment / ``PANTAU_SETTINGS_FILE``); defaults when unreadable (the
    form is then off: the default secret is empty)."""
    try:
        return load_settings()
    except SettingsError:
        return Settings()


def open_form(path: str | Path, agency_param: str | None, token_text: str | None,
              settings: Settings, now: datetime | None = None,
              log_refusal: bool = True) -> FormAccess:
    """The form a link opens; raises FormOff / FormRefused with the reason (a refused
    token is written to the audit trail when ``log_refusal``)."""
    if not settings.claims.secret:
        raise FormOff([FORM_OFF])
    if not token_text:
        raise FormRefused([NO_TOKEN])
    now = now or local_now(settings)
    token = _checked_token(path, agency_param, token_text, settings, now, log_refusal)
    spent, agency, findings, open_claims = _read(path, settings, lambda con: (
        claims.token_used(con, token.token_id),
        next((a for a in queries.records(con, "agencies") if a["agency_id"] == token.agency_id),
             None),
        queries.records(con, "agency_findings", agency_id=token.agency_id),
        claims.open_claims(con, token.agency_id)))
    if spent:
        raise _refusal(path, now, SPENT, token.agency_id, log_refusal, note="token replayed")
    if agency is None:
        raise _refusal(path, now, UNKNOWN_AGENCY, token.agency_id, log_refusal)
    return FormAccess(token, token.agency_id, agency["name"], agency["url"],
                      tuple(category_choices(findings)), tuple(open_claims),
                      moment(token.expires_at, settings.schedule.timezone, short=False))


def _checked_token(path: str | Path, agency_param: str | None, token_text: str,
                   settings: Settings, now: datetime, log_refusal: bool) -> FormToken:
    try:
        token = verify_token(settings.claims.secret, token_text, now)
    except TokenError as error:
        if error.kind == EXPIRED:
            until = moment(error.expires_at, settings.schedule.timezone, short=False)
            message = (f"Tautan sudah kedaluwarsa (berlaku sampai {until}). Gunakan tautan dari "
                       "e-mail pengingat berikutnya atau hubungi PPID Utama.")
        else:
            message = FORGED
        raise _refusal(path, now, message, _agency_hint(agency_param), log_refusal,
                       note=f"token {error.kind}") from None
    if agency_param and agency_param != token.agency_id:
        raise _refusal(path, now, OTHER_AGENCY, _agency_hint(agency_param), log_refusal,
                       note=f"token for {token.agency_id}, link names {agency_param[:64]}")
    return token


def _agency_hint(value: str | None) -> str | None:
    """The agency id a link names, cut short (it is untrusted input, kept only for the log)."""
    return value[:64] if value else None


def agency_claims(path: str | Path, agency_id: str, settings: Settings) -> list[dict[str, Any]]:
    """The agency's open declarations with their latest check (``open_claims``), read now
    (not cached: a submission adds one without a new run); FormBusy while the crawl writes."""
    return _read(path, settings, lambda con: claims.open_claims(con, agency_id))


def claim_lines(rows: Sequence[dict[str, Any]], tz: str) -> list[str]:
    """One line per claim: category, URL, state (and why), who declared it and when."""
    lines = []
    for row in rows:
        state = claim_word(row["confirmed"])
        reason = f" ({row['reason']})" if row.get("reason") else ""
        who = "formulir OPD" if row["source"] == claims.FORM else "berkas PPID Utama"
        lines.append(f"{row['category_name'] or row['category_id']}: {row['url']} — {state}"
                     f"{reason}; diajukan {moment(row['declared_at'], tz)} melalui {who}")
    return lines


def category_choices(findings: Sequence[dict[str, Any]]) -> list[CategoryChoice]:
    """The categories, those not found first (what the reminder asked for), in checklist order."""
    choices = [CategoryChoice(f["category_id"], f["category_name"], f["category_group"],
                              f["status"], status_word(f["status"])) for f in findings]
    return sorted(choices, key=lambda c: c.status == "found")


MARKDOWN_ACTIVE = re.compile(r"[*_`\[\]<>#|~\\$:]")


def plain_label(text: str) -> str:
    """Text for a widget label (Markdown) with the characters Markdown acts on removed."""
    return " ".join(MARKDOWN_ACTIVE.sub(" ", text).split())


def check_entries(access: FormAccess, entries: Sequence[Entry], settings: Settings,
                  url_refusal: Callable[[str, str], str | None] | None = None) -> list[Entry]:
    """The filled entries, each with its problems (Indonesian); pure but for the address
    guard's name lookup. ``url_refusal(agency_url, url)`` defaults to the crawler's rules."""
    known = {c.category_id for c in access.categories}
    refusal = url_refusal or (lambda agency_url, url: claims.form_url_refusal(
        agency_url, url, settings.crawl))
    filled = [e for e in entries if e.url.strip() or e.note.strip()]
    for entry in filled:
        entry.url, entry.note = entry.url.strip(), entry.note.strip()
        if entry.category_id not in known:
            entry.problems.append("kategori tidak dikenal")
        if not entry.url:
            entry.problems.append("alamat (URL) belum diisi")
            continue
        if len(entry.url) > MAX_URL_CHARS:
            entry.problems.append(f"alamat lebih dari {MAX_URL_CHARS} karakter")
        if len(entry.note) > MAX_NOTE_CHARS:
            entry.problems.append(f"keterangan lebih dari {MAX_NOTE_CHARS} karakter")
        if any(ord(ch) < 32 for ch in entry.url + entry.note.replace("\n", " ")):
            entry.problems.append("mengandung karakter kendali")
        if not entry.problems and (reason := refusal(access.agency_url, entry.url)):
            entry.problems.append(reason)
    return filled


def submit(path: str | Path, agency_param: str | None, token_text: str,
           entries: Sequence[Entry], settings: Settings, now: datetime | None = None,
           url_refusal: Callable[[str, str], str | None] | None = None) -> list[int]:
    """Check the link again and every entry; store them (spending the token) or raise
    FormRefused naming each problem (audited; nothing else changes)."""
    now = now or local_now(settings)
    access = open_form(path, agency_param, token_text, settings, now)
    filled = check_entries(access, entries, settings, url_refusal)
    if not filled:
        raise FormRefused(["Isi alamat (URL) untuk sedikitnya satu kategori."])
    bad = [e for e in filled if e.problems]
    if bad:
        names = {c.category_id: c.name for c in access.categories}
        messages = [f"{names.get(e.category_id, e.category_id)}: {'; '.join(e.problems)}"
                    for e in bad]
        _write(path, lambda con: [claims.record_refusal(
            con, actor=audit.agency_actor(access.agency_id), at=now, reason="; ".join(e.problems),
            agency_id=access.agency_id, category_id=e.category_id[:64], url=e.url[:MAX_URL_CHARS])
            for e in bad])
        raise FormRefused(messages)
    declarations = [Declaration(access.agency_id, e.category_id, e.url, e.note) for e in filled]
    try:
        return _write(path, lambda con: claims.declare_from_form(
            con, agency_id=access.agency_id, token_id=access.token.token_id,
            declarations=declarations, at=now))
    except claims.TokenSpent:
        raise _refusal(path, now, SPENT, access.agency_id, True, note="token replayed") from None


def _refusal(path: str | Path, now: datetime, message: str, agency_id: str | None, log: bool,
             note: str | None = None) -> FormRefused:
    """Write the refusal to the audit trail (when ``log``); the FormRefused to raise."""
    if log:
        try:
            _write(path, lambda con: claims.record_refusal(
                con, actor=audit.agency_actor(agency_id or "?"), at=now,
                reason=f"{message} ({note})" if note else message, agency_id=agency_id))
        except FormBusy:
            pass  # the refusal stands; only its log line waited too long
    return FormRefused([message])


def _read(path: str | Path, settings: Settings,
          use: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """``use(con)`` on a short read-only connection; FormBusy while the crawl holds the file
    past ``dashboard.read_wait``."""
    try:
        with db.read_only(path, wait=settings.dashboard.read_wait) as con:
            return use(con)
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            raise FormBusy([BUSY]) from exc
        raise FormRefused([f"Basis data tidak dapat dibaca: {exc}"]) from exc
    except (OSError, db.SchemaError, db.DatabaseFileError) as exc:
        raise FormRefused([f"Basis data tidak dapat dibaca: {exc}"]) from exc


def _write(path: str | Path, use: Callable[[duckdb.DuckDBPyConnection], Any],
           wait: float = WRITE_WAIT) -> Any:
    """``use(con)`` on a read-write connection held only for it, retried while another
    writer (the crawl) or a reader of this process holds the file; FormBusy after ``wait``."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            with db.writing(path, wait=max(0.05, deadline - time.monotonic())) as con:
                return use(con)
        except duckdb.Error as exc:
            retry = db.is_lock_error(exc) or "configuration" in str(exc).lower()
            if not retry or time.monotonic() >= deadline:
                if retry:
                    raise FormBusy([BUSY]) from exc
                raise FormRefused([f"Basis data tidak dapat ditulis: {exc}"]) from exc
        except (OSError, db.SchemaError, db.DatabaseFileError) as exc:
            raise FormRefused([f"Basis data tidak dapat ditulis: {exc}"]) from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
