"""Signed, expiring tokens that let one OPD reach the declaration form (pure; no I/O).

A reminder e-mail links to the dashboard's form with a token ``<id>.<agency>.<expiry>.<mac>``:
``id`` is random (16 bytes, URL-safe), ``expiry`` the Unix time it stops being valid, and
``mac`` the HMAC-SHA256, under the secret ``claims.secret`` (``PANTAU_CLAIM_SECRET``), of the
agency id, the expiry and the id. So a token is good for its own agency only (changing the
agency id or the expiry breaks the MAC) and until it expires; whoever lacks the secret cannot
make one.

Single use: the rule is "one submission per token". The warehouse records a spent token's id
(``token_uses``, primary key), so a second submission with it is refused as a replay; opening
the form does not spend it, only submitting. A refused submission (a bad URL) spends nothing:
the OPD corrects it and sends again. A new reminder carries a new token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_TOKEN_CHARS = 256
"""A longer token is refused unread."""
_SHAPE = re.compile(r"^([A-Za-z0-9_-]{16,64})\.([a-z0-9][a-z0-9_-]{0,62})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$")

MALFORMED = "malformed"
FORGED = "forged"
EXPIRED = "expired"


@dataclass(frozen=True)
class FormToken:
    """What a valid token grants: this agency may submit once before ``expires_at``."""

    token_id: str
    agency_id: str
    expires_at: datetime


class TokenError(ValueError):
    """A token that grants nothing; ``kind`` is ``malformed``, ``forged`` or ``expired``."""

    def __init__(self, kind: str, message: str, expires_at: datetime | None = None):
        super().__init__(message)
        self.kind = kind
        self.expires_at = expires_at


def _mac(secret: str, token_id: str, agency_id: str, expires: int) -> str:
    message = f"pantau-klaim\n{agency_id}\n{expires}\n{token_id}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_token(secret: str, agency_id: str, now: datetime, days: int) -> str:
    """A new token for ``agency_id``, valid for ``days`` days from ``now`` (with its zone)."""
    if not secret:
        raise ValueError("no secret: the form is off")
    if now.tzinfo is None:
        raise ValueError("token times carry their time zone")
    token_id = secrets.token_urlsafe(16)
    expires = int((now + timedelta(days=days)).timestamp())
    return f"{token_id}.{agency_id}.{expires}.{_mac(secret, token_id, agency_id, expires)}"


def verify_token(secret: str, token: str, now: datetime) -> FormToken:
    """The grant of a genuine, unexpired token; raises TokenError otherwise. Whether it was
    already spent is the warehouse's to say (``token_uses``)."""
    if not secret:
        raise ValueError("no secret: the form is off")
    token = (token or "").strip()
    match = _SHAPE.match(token) if len(token) <= MAX_TOKEN_CHARS else None
    if match is None:
        raise TokenError(MALFORMED, "token is not of the form id.agency.expiry.mac")
    token_id, agency_id, expires_text, mac = match.groups()
    expires = int(expires_text)
    if not hmac.compare_digest(mac, _mac(secret, token_id, agency_id, expires)):
        raise TokenError(FORGED, "token signature does not match")
    expires_at = datetime.fromtimestamp(expires, UTC)
    if now >= expires_at:
        raise TokenError(EXPIRED, "token expired", expires_at)
    return FormToken(token_id, agency_id, expires_at)
