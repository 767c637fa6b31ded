"""reminders.links: the reminder's signed link to the declaration form, and no link (nor a
word about the form) without a secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from core.settings import load_settings
from core.tokens import verify_token
from reminders import run_reminders
from reminders.links import claim_link, claim_link_expires
from tests.reminders_helpers import CATS, UTAMA, agency, smtp_server, smtp_settings, write

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_the_link_carries_a_token_for_that_agency_only():
    settings = load_settings(env={"PANTAU_CLAIM_SECRET": "s3cret",
                                  "PANTAU_DASHBOARD_URL": "https://pantau.kota.go.id/"})
    link = claim_link(settings, "dinkes", NOW)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "pantau.kota.go.id", "/klaim")
    query = parse_qs(parts.query)
    assert query["agency"] == ["dinkes"]
    grant = verify_token("s3cret", query["token"][0], NOW)
    assert (grant.agency_id, grant.expires_at) == ("dinkes", NOW + timedelta(days=14))
    assert claim_link_expires(settings, NOW) == (NOW + timedelta(days=14)).date()


def test_no_secret_no_link():
    assert claim_link(load_settings(env={}), "dinkes", NOW) is None


def test_the_reminder_has_the_link_only_when_a_secret_is_set(tmp_path):
    path = tmp_path / "pantau.duckdb"
    dinkes = agency("dinkes")
    write(path, {UTAMA: {c.id: "found" for c in CATS},
                 dinkes: {"profil": "missing", "lhkpn": "found", "dip": "found", "sop_ppid": "found"}},
          datetime(2026, 11, 30, 2, 0))
    with smtp_server() as (smtp, port):
        run_reminders(path, smtp_settings(port))
    (mail,) = smtp.for_agency("dinkes")
    assert "/klaim" not in mail.part("plain") and "klaim bukti" not in mail.part("plain")
    assert "/klaim" not in mail.part("html")
