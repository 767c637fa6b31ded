"""Rendering reminders and digests from Jinja2 templates, and building the e-mail.

Templates live in ``reminders/templates``; a city overrides any of them by putting a
file of the same name in ``reminders.templates_dir`` (the others stay the bundled ones):

- ``reminder_subject.txt.j2``, ``reminder.txt.j2``, ``reminder.html.j2`` — to one agency;
- ``digest_subject.txt.j2``, ``digest.txt.j2``, ``digest.html.j2`` — to a PPID Utama.

HTML templates are rendered with autoescaping on (crawled text is untrusted) and links are
only made from ``http``/``https`` URLs (``safe_href``). Undefined variables are errors, so a
typo in an edited template fails loudly instead of sending a message with a hole in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.checklist import DEFAULT_FRESHNESS_RULES, load_checklist
from core.clock import in_schedule_zone, local_now
from core.settings import Settings
from core.vocabulary import (
    BROKEN,
    MISSING,
    OVERRIDE_MARK,
    OVERRIDE_WORD,
    RUN,
    SOURCE_OVERRIDE,
    SOURCE_WORDS,
    STALE,
    STATUS_WORDS,
    is_blocked,
    status_word,
)
from reminders.links import claim_link, claim_link_expires
from reminders.model import AgencyState, Gap, Message
from scrapers.detection.years import oldest_current_year

BUNDLED_TEMPLATES = Path(__file__).with_name("templates")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


class TemplateConfigError(ValueError):
    """The configured templates folder is unusable; the message says why."""

    pass


def tanggal(value: date | datetime | None) -> str:
    """``2 November 2026``."""
    if value is None:
        return "-"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def angka(value: float | None) -> str:
    """A score the Indonesian way: ``87,5``; ``-`` for no score."""
    if value is None:
        return "-"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def safe_href(url: str | None) -> str | None:
    """The URL when it is an http(s) link, else None (no ``javascript:`` links in mail)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def expected_year(freshness: str, checked: date, category_id: str | None = None) -> int | None:
    """The oldest year whose document is still current on ``checked``, by the checklist's
    freshness by period (``scrapers.detection.years``): the same rule detection judged by."""
    if freshness not in DEFAULT_FRESHNESS_RULES:
        return None
    checklist = _bundled_checklist()
    if category_id in checklist and checklist.get(category_id).freshness == freshness:
        category = checklist.get(category_id)
        period, due = category.period_months, category.due_months
    else:
        period, due = DEFAULT_FRESHNESS_RULES[freshness]
    return oldest_current_year(period, due, checked)


@lru_cache(maxsize=1)
def _bundled_checklist():
    return load_checklist()


def one_line(text: str) -> str:
    """Collapse all white space (newlines too) to single spaces: for headers and subjects."""
    return re.sub(r"\s+", " ", text).strip()


def dashboard_link(settings: Settings, agency_id: str) -> str:
    """The dashboard page of one agency, as linked from its reminder."""
    base = settings.dashboard.url.rstrip("/")
    page = "/" + settings.reminders.dashboard_page.lstrip("/")
    return f"{base}{page}?agency={quote(agency_id)}"


def new_message_id(settings: Settings, kind: str, agency_id: str, run_id: int) -> str:
    """A fresh Message-ID for one reminder, in the sender's domain."""
    sender = settings.smtp.sender
    domain = sender.rsplit("@", 1)[1].strip(" >") if "@" in sender else "pantau-ppid.local"
    return make_msgid(idstring=f"pantau.{kind}.{agency_id}.{run_id}", domain=domain or None)


@dataclass(frozen=True)
class Contact:
    """Whom the agency answers to: the PPID Utama."""

    name: str
    email: str
    line: str


@dataclass(frozen=True)
class Escalation:
    """How long an agency has been reminded without improving (for the copy to the PPID Utama)."""

    count: int
    since: date | None
    first_score: float | None


@dataclass(frozen=True)
class News:
    """What changed since the last message of the same kind to the same recipient."""

    since: date | None
    added: tuple[str, ...] = ()
    """Category ids (reminder) or agency ids (digest) not in the last message."""
    fixed: tuple[str, ...] = ()
    """Names of the categories the last message asked for that are no longer lacking."""


def days_ago(then: date | datetime | None, today: date) -> int | None:
    """Whole days from ``then`` to ``today`` (None when unknown)."""
    if then is None:
        return None
    day = then.date() if isinstance(then, datetime) else then
    return (today - day).days


def reply_by(settings: Settings, today: date) -> date:
    """The reply-by date a reminder sent today names."""
    return today + timedelta(days=settings.reminders.reply_within_days)


class Composer:
    """Renders subjects and bodies; one per batch (it loads templates once)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        dirs = [BUNDLED_TEMPLATES]
        custom = settings.reminders.templates_dir
        if custom:
            if not Path(custom).is_dir():
                raise TemplateConfigError(
                    f"reminders.templates_dir {custom!r}: folder templat tidak ditemukan")
            dirs.insert(0, Path(custom))
        common = dict(loader=FileSystemLoader([str(d) for d in dirs]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.text = Environment(autoescape=False, **common)
        self.html = Environment(autoescape=True, **common)
        for env in (self.text, self.html):
            env.filters.update(tanggal=tanggal, angka=angka, safe_href=safe_href)
            env.globals.update(words=STATUS_WORDS, run_word=RUN)  # core.vocabulary's words

    def _render(self, name: str, context: dict) -> tuple[str, str, str]:
        subject = one_line(self.text.get_template(f"{name}_subject.txt.j2").render(context))
        text = self.text.get_template(f"{name}.txt.j2").render(context)
        html = self.html.get_template(f"{name}.html.j2").render(context)
        return subject, text, html

    def _local(self, value):
        return in_schedule_zone(self.settings, value)

    def reminder(self, agency: AgencyState, *, contact: Contact | None,
                 escalation: Escalation | None, today: date,
                 news: News | None = None) -> tuple[str, str, str]:
        checked = self._local(agency.checked_at)
        if isinstance(checked, datetime):
            checked = checked.date()
        gaps = [gap_view(g, checked) for g in agency.gaps]
        for g in gaps:
            g["new"] = news is not None and g["category_id"] in news.added
        context = {
            "agency": agency,
            "gaps": gaps,
            "missing": [g for g in gaps if g["status"] == MISSING],
            "broken": [g for g in gaps if g["status"] == BROKEN],
            "stale": [g for g in gaps if g["status"] == STALE],
            "checked_at": checked,
            "today": today,
            "reply_by": reply_by(self.settings, today),
            "news": news,
            "new_gaps": [g for g in gaps if g["new"]],
            "contact": contact,
            "escalation": escalation,
            "dashboard_link": dashboard_link(self.settings, agency.id),
            "run_id": agency.run_id,
            **claim_context(self.settings, agency.id),
        }
        return self._render("reminder", context)

    def digest(self, utama: AgencyState, sites: list[AgencyState], *, today: date,
               silent: list[AgencyState] = (), overdue: list[AgencyState] = (),
               overdue_items: dict | None = None, long_unreachable_weeks: int = 0,
               news: News | None = None) -> tuple[str, str, str]:
        """The PPID Utama's digest: its sites that could not be crawled (long-unreachable ones
        apart), its agencies that have gaps but no e-mail address, and those past the reply-by
        date of a reminder; what is new since the last digest is marked."""
        added = set(news.added) if news else set()
        long_days = 7 * long_unreachable_weeks

        def site(s: AgencyState) -> dict:
            last_seen = self._local(s.last_seen_at)
            down_days = days_ago(self._local(s.unreachable_since), today)
            return {"agency": s, "href": safe_href(s.url), "checked_at": s.checked_at,
                    "dashboard_link": dashboard_link(self.settings, s.id),
                    "reason": s.error or "", "blocked": is_blocked(s.error),
                    "new": s.id in added, "last_seen_at": last_seen,
                    "last_seen_days": days_ago(last_seen, today),
                    "down_weeks": down_days // 7 if down_days is not None else None,
                    "long": bool(long_days and down_days is not None and down_days >= long_days)}

        views = [site(s) for s in sites]
        context = {
            "utama": utama,
            "silent": [
                {"agency": a, "gaps": len(a.gaps),
                 "dashboard_link": dashboard_link(self.settings, a.id)}
                for a in silent
            ],
            "sites": [v for v in views if not v["long"]],
            "long_sites": [v for v in views if v["long"]],
            "long_unreachable_weeks": long_unreachable_weeks,
            "overdue": [
                {"agency": a, "new": a.id in added,
                 "categories": list((overdue_items or {}).get(a.id, ())),
                 "dashboard_link": dashboard_link(self.settings, a.id)}
                for a in overdue
            ],
            "news": news,
            "any_blocked": any(is_blocked(s.error) for s in sites),
            "user_agent": self.settings.crawl.user_agent,
            "today": today,
            "dashboard_url": self.settings.dashboard.url,
        }
        return self._render("digest", context)


def claim_context(settings: Settings, agency_id: str) -> dict:
    """``claim_link`` (the declaration form with a signed token; None when the form is off)
    and ``claim_expires`` (the link's last day) for the reminder templates."""
    now = local_now(settings)
    link = claim_link(settings, agency_id, now)
    return {"claim_link": link, "claim_expires": claim_link_expires(settings, now) if link else None}


def gap_view(gap: Gap, checked: date) -> dict:
    """One lacking category as the templates see it (labels in Indonesian)."""
    return {
        "category_id": gap.category_id,
        "group": gap.group,
        "name": gap.name,
        "legal_basis": gap.legal_basis,
        "status": gap.status,
        "status_label": status_word(gap.status),
        "upload_hint": gap.upload_hint,
        "evidence_url": gap.evidence_url,
        "evidence_href": safe_href(gap.evidence_url),
        "evidence_text": gap.evidence_text,
        "document_year": gap.document_year,
        "expected_year": expected_year(gap.freshness, checked, gap.category_id),
        "override_note": override_note(gap),
    }


def override_note(gap: Gap) -> str:
    """``Status ini koreksi peninjau Diskominfo: <reason>`` for an overridden category."""
    if not gap.override_reason:
        return ""
    return (f"Status ini {SOURCE_WORDS[SOURCE_OVERRIDE].lower()} Diskominfo "
            f"({OVERRIDE_MARK} {OVERRIDE_WORD.lower()}): {gap.override_reason}")


def email_message(message: Message, sender: str) -> EmailMessage:
    """The multipart/alternative e-mail (plain text, then HTML) of a planned message."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = ", ".join(message.to)
    if message.cc:
        mail["Cc"] = ", ".join(message.cc)
    if message.reply_to:
        mail["Reply-To"] = message.reply_to
    mail["Message-ID"] = message.message_id
    mail["Date"] = formatdate(localtime=True)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Pantau-Run"] = str(message.run_id)
    mail["X-Pantau-Agency"] = message.agency_id
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail
