"""Form tokens: HMAC-signed, expiring, bound to one agency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.tokens import EXPIRED, FORGED, MALFORMED, TokenError, issue_token, verify_token

SECRET = "rahasia-uji-yang-cukup-panjang"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_token_grants_its_agency_until_it_expires():
    token = issue_token(SECRET, "dinkes", NOW, 14)
    grant = verify_token(SECRET, token, NOW + timedelta(days=13, hours=23))
    assert grant.agency_id == "dinkes"
    assert grant.expires_at == NOW + timedelta(days=14)
    assert len(grant.token_id) >= 16
    assert issue_token(SECRET, "dinkes", NOW, 14) != token  # every reminder gets its own id


def test_an_expired_token_is_refused_with_its_expiry():
    token = issue_token(SECRET, "dinkes", NOW, 14)
    with pytest.raises(TokenError) as refused:
        verify_token(SECRET, token, NOW + timedelta(days=14))
    assert refused.value.kind == EXPIRED
    assert refused.value.expires_at == NOW + timedelta(days=14)


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace(".dinkes.", ".dishub."),                      # another agency
    lambda t: ".".join([*t.split(".")[:2], str(int(t.split(".")[2]) + 86400), t.split(".")[3]]),
    lambda t: "A" + t[1:] if t[0] != "A" else "B" + t[1:],           # another id
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),               # another MAC
])
def test_a_changed_token_is_forged(tamper):
    token = issue_token(SECRET, "dinkes", NOW, 14)
    with pytest.raises(TokenError) as refused:
        verify_token(SECRET, tamper(token), NOW)
    assert refused.value.kind == FORGED


def test_a_token_made_with_another_secret_is_forged():
    token = issue_token("another-secret", "dinkes", NOW, 14)
    with pytest.raises(TokenError) as refused:
        verify_token(SECRET, token, NOW)
    assert refused.value.kind == FORGED


@pytest.mark.parametrize("junk", ["", "abc", "a.b.c.d", "x" * 300, "<script>.dinkes.1.x",
                                  "AAAAAAAAAAAAAAAAAAAA.Dinkes.1." + "A" * 43])
def test_junk_is_malformed(junk):
    with pytest.raises(TokenError) as refused:
        verify_token(SECRET, junk, NOW)
    assert refused.value.kind == MALFORMED


def test_no_secret_no_token():
    with pytest.raises(ValueError):
        issue_token("", "dinkes", NOW, 14)
    with pytest.raises(ValueError):
        verify_token("", "x", NOW)
