"""Real components for the reminder tests: an SMTP server on loopback that collects (or
refuses, as scripted) what it receives, fixture databases written with ``write_run``, and
settings pointing at the server."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from core.registry import Agency
from core.settings import Settings, load_settings
from tests import factories as f
from warehouse import db, load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()


@dataclass
class Collector:
    """aiosmtpd handler: answers DATA with the next scripted reply (``"451 …"``), else 250
    and keeps the message."""

    messages: list[Received] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    always: str | None = None
    """A reply given to every DATA (a server that always refuses)."""
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.always or (self.script.pop(0) if self.script else None)
            if reply and not reply.startswith("250"):
                self.refused += 1
                return reply
            self.messages.append(Received(
                envelope.mail_from, list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.original_content or envelope.content,
                                         policy=email.policy.default)))
        return "250 Message accepted for delivery"

    def for_agency(self, agency_id: str) -> list[Received]:
        return [m for m in self.messages if m.message["X-Pantau-Agency"] == agency_id]


class Authenticator:
    def __init__(self, user: str, password: str):
        self.user, self.password = user.encode(), password.encode()
        self.seen: list[bytes] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.seen.append(auth_data.login)
        ok = auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


@contextmanager
def smtp_server(handler: Collector | None = None, **kwargs) -> Iterator[tuple[Collector, int]]:
    """A real SMTP server on 127.0.0.1, listening before the block starts."""
    handler = handler or Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def smtp_settings(port: int, **reminder_changes) -> Settings:
    settings = load_settings(env={
        "PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": str(port),
        "PANTAU_SMTP_FROM": "pantau@kominfo.kota.test",
        "PANTAU_DASHBOARD_URL": "https://pantau.kota.test",
    })
    changes = {"retry_backoff": 0.0, **reminder_changes}
    return settings.replace("reminders", **changes)


CATS = [
    f.Cat(id="profil", group="berkala", name="Profil badan publik", position=0,
          legal_basis="UU 14/2008 Pasal 9; Perki 1/2021"),
    f.Cat(id="lhkpn", group="berkala", name="Laporan harta kekayaan pejabat (LHKPN)",
          freshness="annual", position=1, legal_basis="Perki 1/2021"),
    f.Cat(id="dip", group="setiap_saat", name="Daftar Informasi Publik (DIP)",
          freshness="annual", position=2, legal_basis="Perki 1/2021 Pasal 11", weight=2.0),
    f.Cat(id="sop_ppid", group="layanan", name="SOP PPID", position=3,
          legal_basis="Perki 1/2021 Pasal 4"),
]
ALL_FOUND = {c.id: "found" for c in CATS}


def agency(agency_id: str, role: str = "pelaksana", parent: str = "utama", email: str | None = None,
           name: str | None = None) -> Agency:
    base = f.agency(agency_id, role=role, parent=parent)
    return Agency(id=base.id, name=name or base.name, url=base.url,
                  email=base.email if email is None else email, role=base.role, parent=base.parent)


UTAMA = agency("utama", role="utama", name="Diskominfo Kota Contoh")


def write(path: Path, per_agency: dict[Agency, dict[str, str]], when: datetime,
          findings: dict[tuple[str, str], dict] | None = None) -> int:
    """Write one run; ``findings`` overrides fields of chosen (agency, category) findings."""
    record = f.run(CATS, per_agency, when)
    for outcome in record.outcomes:
        for finding in outcome.findings:
            for name, value in (findings or {}).get((outcome.agency.id, finding.category_id), {}).items():
                setattr(finding, name, value)
    with db.writing(path) as con:
        return load.write_run(con, record)


def rows(path: Path, where: str = "true") -> list[dict]:
    with db.read_only(path) as con:
        result = con.execute(f"SELECT * FROM reminders WHERE {where} ORDER BY id")
        names = [d[0] for d in result.description]
        return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
