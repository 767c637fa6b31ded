"""The records the reminder steps pass to each other: plain, picklable dataclasses.

``Snapshot`` (what the warehouse says) → ``Plan`` (what to send and what to skip, with the
rendered messages) → ``Delivery`` (what happened to one message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

REMINDER = "reminder"
"""A message to one agency about its own gaps."""
DIGEST = "digest"
"""A message to a PPID Utama listing the sites that could not be crawled."""

EMAIL = "email"
APPRISE = "apprise"



def split_addresses(value: str | None) -> tuple[str, ...]:
    """The addresses of a registry ``email`` cell (several may be separated by , or ;)."""
    return tuple(a.strip() for a in re.split(r"[;,]", value or "") if a.strip())


@dataclass(frozen=True)
class Gap:
    """One category an agency lacks in its latest run."""

    category_id: str
    group: str
    name: str
    legal_basis: str
    freshness: str
    status: str
    """``missing``, ``broken`` or ``stale``."""
    evidence_url: str | None = None
    """The dead link (broken) or the old document (stale)."""
    evidence_text: str | None = None
    document_year: int | None = None
    """The year of the newest document found (stale)."""
    upload_hint: str = ""
    """What to upload, from the checklist (empty when the checklist has none)."""
    override_reason: str = ""
    """A reviewer overrode this category's status (the reason, as text); empty otherwise."""


@dataclass(frozen=True)
class AgencyState:
    """An agency and its latest completed run."""

    id: str
    name: str
    email: str
    role: str
    parent: str
    url: str
    run_id: int | None
    """None for an agency in the registry that was never crawled."""
    reachable: bool
    score: float | None
    band: str | None
    checked_at: datetime | None
    gaps: tuple[Gap, ...] = ()
    error: str | None = None
    """Why the latest run could not check the site (None when it could)."""
    site_changed: bool = False
    """The latest run found the site changed ("situs berubah"): reminders held for review."""
    last_seen_at: datetime | None = None
    """When the site was last reached (its last known findings are from then)."""
    unreachable_since: datetime | None = None
    """The first unreachable run after the site was last reached (None while reachable)."""

    @property
    def addresses(self) -> tuple[str, ...]:
        return split_addresses(self.email)


@dataclass(frozen=True)
class LogEntry:
    """One row of the ``reminders`` table (with the agency's score in that run)."""

    id: int
    agency_id: str
    run_id: int
    kind: str
    channel: str
    status: str
    recipients: str | None = None
    cc: str | None = None
    categories: tuple[str, ...] = ()
    about_agencies: tuple[str, ...] = ()
    reason: str | None = None
    error: str | None = None
    attempts: int = 0
    message_id: str | None = None
    subject: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    score: float | None = None

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.agency_id, self.run_id, self.kind, self.channel)


@dataclass(frozen=True)
class Overdue:
    """A category a reminder asked for, still lacking after the message's reply-by date."""

    category_id: str
    name: str
    reply_by: date
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything the plan needs from the warehouse, read in one go."""

    agencies: dict[str, AgencyState]
    log: tuple[LogEntry, ...] = ()
    category_names: dict[str, str] = field(default_factory=dict)
    """Checklist names by id (for categories fixed since the last message)."""
    open_reminders: dict[str, tuple[Overdue, ...]] = field(default_factory=dict)
    """Per agency, the categories reminders asked for that have not been found since, with
    the reply-by date (the plan keeps those past it: the PPID Utama's digest names them)."""

    def overdue(self, agency_id: str, today: date) -> tuple[Overdue, ...]:
        """What the agency has not fixed by a reply-by date before ``today``."""
        return tuple(o for o in self.open_reminders.get(agency_id, ())
                     if o.reply_by is not None and o.reply_by < today)


@dataclass(frozen=True)
class Message:
    """One message to send on one channel, rendered, with its place in the log."""

    kind: str
    channel: str
    agency_id: str
    run_id: int
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    text: str
    html: str
    message_id: str
    categories: tuple[str, ...] = ()
    about_agencies: tuple[str, ...] = ()
    escalated: bool = False
    reply_to: str = ""
    row_id: int | None = None
    """The log row this message is claimed under (set by ``claim``, or the row being retried)."""
    retry_of: str | None = None
    """``pending`` (a crash left it unconfirmed) or ``failed`` when this retries a logged row."""
    reply_by: date | None = None
    """The reply-by date a reminder names (the follow-up measures fixes against it)."""

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.agency_id, self.run_id, self.kind, self.channel)

    @property
    def recipients_text(self) -> str:
        return ", ".join(self.to)


@dataclass(frozen=True)
class Skip:
    """A message not sent, and why (logged once per run, agency, kind, channel and reason)."""

    kind: str
    channel: str
    agency_id: str
    run_id: int
    reason: str
    categories: tuple[str, ...] = ()
    about_agencies: tuple[str, ...] = ()
    new: bool = True
    """False when the log already holds this skip; it is not logged again."""


@dataclass(frozen=True)
class Plan:
    """What one reminder pass will do: the messages to send and the agencies skipped, with why."""

    today: date
    messages: tuple[Message, ...] = ()
    skips: tuple[Skip, ...] = ()
    already_sent: int = 0
    """Messages for these runs that the log shows as sent: never sent again."""


@dataclass(frozen=True)
class Delivery:
    """What happened to one message."""

    status: str
    """``sent`` or ``failed``."""
    attempts: int
    error: str | None = None
    """The last error (failed), or recipients the server refused (sent to the others)."""
    sent_at: datetime | None = None


@dataclass
class Summary:
    """The outcome of one ``remind``: counts and lines for the people running it."""

    dry_run: bool
    plan: Plan
    results: list[tuple[Message, Delivery]] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(1 for _, d in self.results if d.status == "sent")

    @property
    def failed(self) -> int:
        return sum(1 for _, d in self.results if d.status == "failed")

    @property
    def skipped(self) -> int:
        return len(self.plan.skips)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "planned": len(self.plan.messages),
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "already_sent": self.plan.already_sent,
        }
