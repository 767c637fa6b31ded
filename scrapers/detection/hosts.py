"""Off-site publication hosts: which links lead to a known service (Google Drive, Forms,
Sheets, SiRUP, LPSE, JDIH, e-LHKPN …) and whether its answer shows the publication (pure).

Many OPDs publish mostly off-site: a Drive file behind "Unduh", a Google Form as the request
form, the procurement plan on SiRUP, regulations on the region's JDIH. The services are data
(``publication_hosts`` in ``core/platforms.yaml``, beside the platform records): how to
recognise a link to each (host names, host-name patterns such as ``lpse.*``, and the path
shapes of its file links, which also recognise stand-ins on any host), which category its
links publish, and how to tell a dead one — a deleted Drive file answers 404 or "file does not
exist", a closed Form redirects to ``…/closedform`` and says it no longer accepts answers, a
private one leads to a sign-in page. The crawler fetches such links through its fetcher
(``scrapers.crawling.documents.verify_host_link``) and this module judges the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from core.platforms import platform_data
from scrapers.detection.doctypes import not_public_reason
from scrapers.detection.match import normalize

DEAD_STATUSES = frozenset({404, 410})


@dataclass(frozen=True)
class HostRule:
    """One publication host, as the data file describes it."""

    name: str
    domains: tuple[str, ...] = ()
    """Host names; a sub-domain matches (``docs.google.com`` matches itself only when listed)."""
    host_patterns: tuple[str, ...] = ()
    """Regular expressions on the host name (``^lpse\\.`` for every region's LPSE)."""
    paths: tuple[str, ...] = ()
    """Regular expressions on the path: on a listed host, the links that are this service
    (Forms and Sheets share docs.google.com); on any host, a link of this exact shape."""
    any_host: bool = False
    """Whether ``paths`` recognise the service on any host (distinctive file-link shapes)."""
    publishes: tuple[str, ...] = ()
    """Category ids its links publish (SiRUP → pengadaan), used when the link names none."""
    broken_phrases: tuple[str, ...] = ()
    """Texts of an answer that says the publication is gone or closed."""
    broken_urls: tuple[str, ...] = ()
    """Regular expressions on the final URL of a dead one (``/closedform``)."""

    def matches(self, url: str) -> bool:
        """Whether a URL is a link to this service."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        on_host = any(host == d or host.endswith("." + d) for d in self.domains) or any(
            re.search(p, host) for p in self.host_patterns
        )
        shaped = any(re.search(p, parts.path) for p in self.paths)
        if on_host:
            return shaped or not self.paths
        return self.any_host and shaped


def host_rule_for(url: str, rules: Iterable[HostRule]) -> HostRule | None:
    """The first rule that recognises the URL, or None."""
    return next((rule for rule in rules if rule.matches(url)), None)


def judge_host_answer(rule: HostRule, url: str, status: int | None, final_url: str,
                      text: str) -> tuple[bool, str]:
    """(ok, reason) for the answer to a link to ``rule``'s service.

    Not ok: no answer or an error status; 404/410 (deleted); 401/403 or a sign-in page (not
    public); a final URL or a text the rule marks as dead (a closed Form, a deleted file).
    """
    if status is None:
        return False, "no answer"
    hidden = not_public_reason(status, final_url, None, url)
    if hidden:
        return False, f"{rule.name}: {hidden}"
    if status in DEAD_STATUSES:
        return False, f"{rule.name}: deleted or never there (http {status})"
    if status >= 400:
        return False, f"{rule.name}: http {status}"
    for pattern in rule.broken_urls:
        if re.search(pattern, final_url or ""):
            return False, f"{rule.name}: closed ({urlsplit(final_url).path})"
    normal = _normal_phrases(rule.broken_phrases)
    body = f" {normalize(text)} "
    for phrase, original in normal:
        if f" {phrase} " in body:
            return False, f"{rule.name}: says {original!r}"
    return True, ""


@lru_cache(maxsize=256)
def _normal_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((normalize(p), p) for p in phrases if normalize(p))


@lru_cache(maxsize=1)
def bundled_host_rules() -> tuple[HostRule, ...]:
    """The publication hosts of the bundled data file (``core/platforms.yaml``)."""
    return tuple(HostRule(**host.model_dump(exclude={"description"}))
                 for host in platform_data().publication_hosts)
