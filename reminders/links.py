"""The reminder's link to the declaration form, with its signed token (``core.tokens``).

No secret (``claims.secret`` / ``PANTAU_CLAIM_SECRET`` empty) → no link: the e-mail then says
nothing about the form, and the form itself says it is off.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import quote

from core.settings import Settings
from core.tokens import issue_token


def claim_link(settings: Settings, agency_id: str, now: datetime) -> str | None:
    """The form's address for this agency with a fresh token, or None when the form is off."""
    secret = settings.claims.secret
    if not secret:
        return None
    token = issue_token(secret, agency_id, now, settings.claims.token_days)
    base = settings.dashboard.url.rstrip("/")
    page = "/" + settings.claims.form_page.strip("/")
    return f"{base}{page}?agency={quote(agency_id)}&token={quote(token)}"


def claim_link_expires(settings: Settings, now: datetime) -> date:
    """The last day a link made ``now`` is good for (shown in the e-mail)."""
    return (now + timedelta(days=settings.claims.token_days)).date()
