"""Who gets what, and when: the reminder rules as one pure function, ``plan()``.

Input: a ``Snapshot`` (each agency's latest run, its gaps, and the reminder log), the
settings and today's date. Output: a ``Plan`` of rendered messages and skips. No I/O apart
from reading the template files.

The rules, per agency and channel (``email``, and ``apprise`` when ``apprise_urls`` is set):

1. An agency whose latest run has no ``missing``, ``broken`` or ``stale`` category gets
   nothing (and nothing is logged).
2. An agency whose latest run found its site changed ("situs berubah",
   ``scrapers.detection.health``) gets no reminder: it is held (logged ``skipped``) for
   review. Drops awaiting confirmation are not gaps at all: their findings keep the
   published status until the drop is confirmed (``scrapers.detection.confirm``).
2b. An agency whose site was ``unreachable`` gets no reminder (it is logged ``skipped``); its
   PPID Utama gets one digest listing the unreachable sites it is responsible for (its own
   site included) — those unreachable for ``long_unreachable_weeks`` or more marked as long
   unreachable with the age of their last known findings — and the agencies past the
   reply-by date of a reminder with categories still lacking; once per run.
3. A message that the log shows as ``sent`` for this (agency, run, kind, channel) is never
   sent again. A ``pending`` row (a batch crashed between claiming and recording it) or a
   ``failed`` row for the agency's current run is retried, with its Message-ID.
4. At most one message per agency, kind and channel in ``min_interval_days``, counted in
   calendar days in ``schedule.timezone`` (a weekly crawl at 02:00 every Monday is 7 days
   apart however long it ran); within it the agency is logged ``skipped`` with the date.
   State changes only: within the interval a message goes out only when something is new
   since the last one (a category newly lacking; a site newly in the digest); every message
   says what is new and what was fixed since the last one.
5. Escalation: when the agency has already been sent ``escalate_after`` (K) reminders and
   has not improved since the first of the last K — its score is not higher than in the
   run that reminder was about, or it lacks exactly the same categories — the parent PPID
   Utama is copied (Cc) and the message says so. 0 turns escalation off.
6. Without an address (no e-mail in the registry; apprise not installed) the message is
   logged ``skipped`` with the reason.

The parent of an agency is its registry ``parent``; a PPID Pelaksana without one reports to
the PPID Utama when the registry has exactly one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from core.clock import in_schedule_zone
from core.settings import Settings
from core.vocabulary import RUN, UNREACHABLE_WORD
from reminders.compose import (
    Composer,
    Contact,
    Escalation,
    News,
    new_message_id,
    reply_by,
    tanggal,
)
from reminders.model import (
    APPRISE,
    DIGEST,
    EMAIL,
    REMINDER,
    AgencyState,
    LogEntry,
    Message,
    Plan,
    Skip,
    Snapshot,
)

NO_EMAIL = "tidak ada alamat e-mail di registry"
NO_APPRISE = "paket apprise belum terpasang (pip install 'pantau-ppid[reminders]')"
UNREACHABLE = (f"situs {UNREACHABLE_WORD} pada {RUN} terakhir; tidak diingatkan, "
               "dilaporkan ke PPID Utama")
SITE_CHANGED = (f"situs berubah (tampilan atau platform baru) pada {RUN} terakhir; "
                "pengingat ditahan sampai hasilnya ditinjau")


def apprise_labels(urls: tuple[str, ...]) -> tuple[str, ...]:
    """What the log says about Apprise recipients: only the scheme (URLs hold tokens)."""
    return tuple(f"apprise:{urlsplit(u).scheme or '?'}" for u in urls)


def plan(snapshot: Snapshot, settings: Settings, today: date, *,
         apprise_ready: bool = False, composer: Composer | None = None) -> Plan:
    """What to send and what to skip now (see the module docstring for the rules)."""
    return _Planner(snapshot, settings, today, apprise_ready, composer or Composer(settings)).run()


@dataclass
class _Planner:
    snapshot: Snapshot
    settings: Settings
    today: date
    apprise_ready: bool
    composer: Composer
    messages: list[Message] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    already_sent: int = 0

    def __post_init__(self):
        self.by_key: dict[tuple, list[LogEntry]] = defaultdict(list)
        for entry in self.snapshot.log:
            self.by_key[entry.key].append(entry)
        self.channels = [EMAIL] + ([APPRISE] if self.settings.reminders.apprise_urls else [])
        self.utamas = [a for a in self.snapshot.agencies.values() if a.role == "utama"]

    def run(self) -> Plan:
        agencies = sorted(self.snapshot.agencies.values(), key=lambda a: a.id)
        for agency in agencies:
            if agency.run_id is None:
                continue  # registered but never crawled
            if not agency.reachable:
                for channel in self.channels:
                    self._skip(REMINDER, channel, agency.id, agency.run_id, UNREACHABLE)
                continue
            if not agency.gaps:
                continue
            if agency.site_changed:
                for channel in self.channels:
                    self._skip(REMINDER, channel, agency.id, agency.run_id, SITE_CHANGED,
                               tuple(g.category_id for g in agency.gaps))
                continue
            for channel in self.channels:
                self._reminder(agency, channel)
        for utama in sorted(self.utamas, key=lambda a: a.id):
            own = [a for a in agencies if a.run_id is not None
                   and (a.id == utama.id or self.parent_of(a) is utama)]
            sites = [a for a in own if not a.reachable]
            # Nobody drops out silently: agencies with gaps but no e-mail are named to the utama.
            silent = [a for a in own if a.reachable and a.gaps and not a.addresses
                      and a.id != utama.id]
            overdue = [a for a in own if self.snapshot.overdue(a.id, self.today)]
            if sites or silent or overdue:
                for channel in self.channels:
                    self._digest(utama, sites, channel, silent, overdue)
        return Plan(today=self.today, messages=tuple(self.messages), skips=tuple(self.skips),
                    already_sent=self.already_sent)

    # --- relations -------------------------------------------------------------------

    def parent_of(self, agency: AgencyState) -> AgencyState | None:
        if agency.role == "utama":
            return None
        if agency.parent:
            return self.snapshot.agencies.get(agency.parent)
        return self.utamas[0] if len(self.utamas) == 1 else None

    def contact_for(self, agency: AgencyState) -> Contact | None:
        parent = self.parent_of(agency)
        line = self.settings.reminders.utama_contact
        if parent is None:
            return Contact(name="PPID Utama", email="", line=line) if line else None
        email = ", ".join(parent.addresses)
        if not line:
            line = f"{parent.name} ({email})" if email else parent.name
        return Contact(name=parent.name, email=email, line=line)

    # --- the rules -------------------------------------------------------------------

    def _reminder(self, agency: AgencyState, channel: str) -> None:
        categories = tuple(g.category_id for g in agency.gaps)
        key = (agency.id, agency.run_id, REMINDER, channel)
        retry = self._open_or_done(key)
        if retry is False:
            return
        to = self._recipients(agency, channel, REMINDER, categories)
        if to is None:
            return
        last = self._last_sent(agency.id, REMINDER, channel, agency.run_id)
        added = tuple(c for c in categories if last is None or c not in last.categories)
        if (retry is None and not (last and added)
                and self._too_soon(agency.id, agency.run_id, REMINDER, channel, categories)):
            return
        escalation = self._escalation(agency, channel)
        parent = self.parent_of(agency)
        cc: tuple[str, ...] = ()
        if escalation and parent and parent.addresses and channel == EMAIL:
            cc = tuple(a for a in parent.addresses if a not in to)
        if escalation and not (parent and parent.addresses):
            escalation = None  # nobody to copy: an ordinary reminder
        news = None
        if last is not None:
            fixed = tuple(self.snapshot.category_names.get(c, c) for c in last.categories
                          if c not in categories)
            news = News(since=self._local_date(last.sent_at or last.created_at), added=added, fixed=fixed)
        subject, text, html = self.composer.reminder(
            agency, contact=self.contact_for(agency), escalation=escalation, today=self.today,
            news=news)
        self.messages.append(Message(
            kind=REMINDER, channel=channel, agency_id=agency.id, run_id=agency.run_id,
            to=to, cc=cc, subject=subject, text=text, html=html,
            message_id=self._message_id(retry, REMINDER, agency.id, agency.run_id),
            categories=categories, escalated=escalation is not None,
            reply_to=parent.addresses[0] if parent and parent.addresses else "",
            row_id=retry.id if retry else None, retry_of=retry.status if retry else None,
            reply_by=reply_by(self.settings, self.today),
        ))

    def _digest(self, utama: AgencyState, sites: list[AgencyState], channel: str,
                silent: list[AgencyState] = (), overdue: list[AgencyState] = ()) -> None:
        run_id = max(s.run_id for s in [*sites, *silent, *overdue, utama] if s.run_id is not None)
        about = tuple(dict.fromkeys(s.id for s in [*sites, *silent, *overdue]))
        key = (utama.id, run_id, DIGEST, channel)
        retry = self._open_or_done(key)
        if retry is False:
            return
        to = self._recipients(utama, channel, DIGEST, (), about, run_id)
        if to is None:
            return
        last = self._last_sent(utama.id, DIGEST, channel, run_id)
        added = tuple(a for a in about if last is None or a not in last.about_agencies)
        if (retry is None and not (last and added)
                and self._too_soon(utama.id, run_id, DIGEST, channel, (), about)):
            return
        since = self._local_date(last.sent_at or last.created_at) if last else None
        subject, text, html = self.composer.digest(
            utama, sites, today=self.today, silent=list(silent), overdue=list(overdue),
            overdue_items={a.id: self.snapshot.overdue(a.id, self.today) for a in overdue},
            long_unreachable_weeks=self.settings.reminders.long_unreachable_weeks,
            news=News(since=since, added=added, fixed=()) if last else None)
        self.messages.append(Message(
            kind=DIGEST, channel=channel, agency_id=utama.id, run_id=run_id, to=to, cc=(),
            subject=subject, text=text, html=html,
            message_id=self._message_id(retry, DIGEST, utama.id, run_id),
            about_agencies=about, row_id=retry.id if retry else None,
            retry_of=retry.status if retry else None,
        ))

    def _last_sent(self, agency_id: str, kind: str, channel: str, run_id: int) -> LogEntry | None:
        """The latest message of this kind sent to the agency about another run."""
        sent = [e for e in self.snapshot.log
                if e.agency_id == agency_id and e.kind == kind and e.channel == channel
                and e.status == "sent" and e.run_id != run_id]
        return max(sent, key=lambda e: (e.sent_at or e.created_at or datetime.min, e.id),
                   default=None)

    def _open_or_done(self, key: tuple) -> LogEntry | None | bool:
        """False when the log shows the message sent; the row to retry when it is pending or
        failed; None when it was never claimed."""
        entries = self.by_key.get(key, [])
        if any(e.status == "sent" for e in entries):
            self.already_sent += 1
            return False
        open_rows = [e for e in entries if e.status in ("pending", "failed")]
        return open_rows[-1] if open_rows else None

    def _recipients(self, agency: AgencyState, channel: str, kind: str,
                    categories: tuple[str, ...], about: tuple[str, ...] = (),
                    run_id: int | None = None) -> tuple[str, ...] | None:
        run_id = agency.run_id if run_id is None else run_id
        if channel == EMAIL:
            if agency.addresses:
                return agency.addresses
            self._skip(kind, channel, agency.id, run_id, NO_EMAIL, categories, about)
            return None
        if not self.apprise_ready:
            self._skip(kind, channel, agency.id, run_id, NO_APPRISE, categories, about)
            return None
        return apprise_labels(self.settings.reminders.apprise_urls)

    def _too_soon(self, agency_id: str, run_id: int, kind: str, channel: str,
                  categories: tuple[str, ...], about: tuple[str, ...] = ()) -> bool:
        days = self.settings.reminders.min_interval_days
        sent = [e.sent_at for e in self.snapshot.log
                if e.agency_id == agency_id and e.kind == kind and e.channel == channel
                and e.status == "sent" and e.sent_at is not None]
        if days <= 0 or not sent:
            return False
        last = self._local_date(max(sent))
        if (self.today - last).days >= days:
            return False
        reason = (f"sudah diingatkan pada {tanggal(last)}; berikutnya paling cepat "
                  f"{tanggal(last + timedelta(days=days))} (min_interval_days={days})")
        self._skip(kind, channel, agency_id, run_id, reason, categories, about)
        return True

    def _escalation(self, agency: AgencyState, channel: str) -> Escalation | None:
        k = self.settings.reminders.escalate_after
        if k <= 0:
            return None
        earlier = sorted(
            (e for e in self.snapshot.log
             if e.agency_id == agency.id and e.kind == REMINDER and e.channel == channel
             and e.status == "sent" and e.run_id != agency.run_id),
            key=lambda e: (e.sent_at or e.created_at, e.id),
        )
        if len(earlier) < k:
            return None
        first = earlier[-k]
        not_higher = (agency.score is not None and first.score is not None
                      and agency.score <= first.score)
        same_gaps = set(first.categories) == {g.category_id for g in agency.gaps}
        if not (not_higher or same_gaps):
            return None
        since = (first.sent_at or first.created_at)
        return Escalation(count=len(earlier[-k:]), since=self._local_date(since),
                          first_score=first.score)

    def _local_date(self, moment: datetime | date | None) -> date | None:
        """The day of a logged time in ``schedule.timezone`` (a naive time is taken as
        already being in it; a date or None passes unchanged)."""
        moment = in_schedule_zone(self.settings, moment)
        return moment.date() if isinstance(moment, datetime) else moment

    def _message_id(self, retry: LogEntry | None, kind: str, agency_id: str, run_id: int) -> str:
        if retry is not None and retry.message_id:
            return retry.message_id
        return new_message_id(self.settings, kind, agency_id, run_id)

    def _skip(self, kind: str, channel: str, agency_id: str, run_id: int, reason: str,
              categories: tuple[str, ...] = (), about: tuple[str, ...] = ()) -> None:
        entries = self.by_key.get((agency_id, run_id, kind, channel), [])
        new = not any(e.status == "skipped" and e.reason == reason for e in entries)
        self.skips.append(Skip(kind=kind, channel=channel, agency_id=agency_id, run_id=run_id,
                               reason=reason, categories=categories, about_agencies=about,
                               new=new))
