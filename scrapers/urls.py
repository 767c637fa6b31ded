"""URL normalisation, site scope and crawler-trap bounds (pure, no I/O).

Normalisation is deliberately conservative: two spellings are merged only when every web
server treats them alike (case of scheme and host, default ports, fragments, session ids).
The query string keeps its order, because some PPID portals route on the first parameter
(``index.php?option=com_content&view=article``) and reordering would invent URLs.

That is why this is not ``w3lib.url.canonicalize_url`` (Scrapy's): it sorts the query
arguments and re-encodes the path, so it would merge or invent URLs that such portals treat
differently; and w3lib would be a dependency of the product only for that (it is installed
here only with the Scrapy benchmark peer). Session-id removal and the trap bounds below have
no library equivalent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

IGNORED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "sms:", "whatsapp:", "ftp:", "file:")
DEFAULT_PORTS = {"http": 80, "https": 443}

SESSION_ID_PARAMS = frozenset(
    name.lower()
    for name in (
        "PHPSESSID",
        "jsessionid",
        "sid",
        "sessionid",
        "session_id",
        "sess_id",
        "CFID",
        "CFTOKEN",
        "zenid",
        "osCsid",
        "ci_session",
        "aspsessionid",
    )
)
"""Query parameters that carry a session, not content: dropped so one page has one URL."""

_PATH_SESSION_ID = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_ASP_SESSION_PARAM = re.compile(r"^aspsessionid", re.IGNORECASE)


def is_http_url(url: str) -> bool:
    """True for http(s) URLs; ``javascript:``, ``mailto:``, ``tel:``, ``data:`` … are not followed."""
    lowered = url.strip().lower()
    if lowered.startswith(IGNORED_SCHEMES):
        return False
    return lowered.startswith(("http://", "https://"))


def _is_session_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in SESSION_ID_PARAMS or bool(_ASP_SESSION_PARAM.match(lowered))


def strip_session_ids(query: str) -> str:
    """The query without session-id parameters; untouched (same bytes) when it has none."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not _is_session_param(name)]
    if len(kept) == len(pairs):
        return query
    return urlencode(kept)


def normalize_url(url: str) -> str | None:
    """The canonical spelling of an http(s) URL, or None when it is not one we can fetch.

    Lower-cases scheme and host, drops default ports, the fragment and session ids
    (``;jsessionid=…`` path parameters and ``PHPSESSID``-like query parameters), and gives an
    empty path as ``/``. Percent-encoding and query order are kept as they are.
    """
    url = url.strip()
    if not is_http_url(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        return None
    path = _PATH_SESSION_ID.sub("", parts.path) or "/"
    query = strip_session_ids(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The lower-case host name of a URL (no port), as used for per-host politeness."""
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL (where its robots.txt lives)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _site_key(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return parts.scheme.lower(), host, parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)


@dataclass
class SiteScope:
    """Which URLs belong to the site being crawled: same scheme, host and port, where
    ``www.example.go.id`` and ``example.go.id`` count as one host.

    The crawler widens the scope with the origin the start URL redirects to (``http://`` →
    ``https://``, ``ppid.kab.go.id`` → ``kab.go.id/ppid``), so that a site that moved is
    crawled where it now lives.
    """

    keys: set[tuple[str, str, int]] = field(default_factory=set)

    @classmethod
    def of(cls, url: str) -> SiteScope:
        return cls({_site_key(url)})

    def add(self, url: str) -> None:
        self.keys.add(_site_key(url))

    def contains(self, url: str) -> bool:
        return _site_key(url) in self.keys


_CALENDAR_PATH = re.compile(r"/((?:1[5-9]|2\d)\d\d)[/-](0?[1-9]|1[0-2])(?:[/-]|$)")
_CALENDAR_QUERY = re.compile(
    r"(?:^|&)(?:year|tahun|y|yr|cal_year)=((?:1[5-9]|2\d)\d\d)(?:&|$)", re.IGNORECASE
)
_CALENDAR_DATE = re.compile(
    r"(?:^|&)(?:date|month|bulan|tanggal|day|cal|calendar|ym)=((?:1[5-9]|2\d)\d\d)-?\d",
    re.IGNORECASE,
)


def calendar_year(url: str) -> int | None:
    """The year of a calendar-like URL (``/agenda/2031/05``, ``?month=2031-05``, ``?tahun=2031``)."""
    parts = urlsplit(url)
    for pattern, text in (
        (_CALENDAR_PATH, parts.path),
        (_CALENDAR_QUERY, parts.query),
        (_CALENDAR_DATE, parts.query),
    ):
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def max_segment_repeats(path: str) -> int:
    """How often the most repeated non-empty path segment occurs (``/a/b/a/b/a`` → 3)."""
    counts: dict[str, int] = defaultdict(int)
    for segment in path.split("/"):
        if segment:
            counts[segment.lower()] += 1
    return max(counts.values(), default=0)


@dataclass
class TrapGuard:
    """Bounds the ways a site can generate endless URLs.

    - a URL longer than ``max_url_length``;
    - a path segment repeated more than ``max_path_segment_repeats`` times (relative-link
      loops such as ``/ppid/ppid/ppid/…``);
    - more than ``max_query_variants`` distinct query strings on one path (``?page=N``
      archives, sort orders, search forms);
    - calendars outside ``[min_calendar_year, this year + max_calendar_years_ahead]``
      (``/agenda/2091/12`` → next month → …).

    ``admit(url)`` registers the URL and answers None when it may be followed, else the
    trap's name. Not thread-safe: the crawler calls it from its scheduling thread.
    """

    max_query_variants: int = 20
    max_path_segment_repeats: int = 2
    max_url_length: int = 500
    min_calendar_year: int = 1990
    max_calendar_years_ahead: int = 1
    today: date = field(default_factory=date.today)
    _queries: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set), repr=False)

    def admit(self, url: str) -> str | None:
        reason = self.trap_reason(url)
        if reason is None:
            parts = urlsplit(url)
            if parts.query:
                self._queries[f"{parts.netloc}{parts.path}"].add(parts.query)
        return reason

    def trap_reason(self, url: str) -> str | None:
        """The trap a URL falls in, without registering it."""
        if len(url) > self.max_url_length:
            return "url longer than max_url_length"
        parts = urlsplit(url)
        if max_segment_repeats(parts.path) > self.max_path_segment_repeats:
            return "path segment repeated more than max_path_segment_repeats"
        year = calendar_year(url)
        if year is not None and not (
            self.min_calendar_year <= year <= self.today.year + self.max_calendar_years_ahead
        ):
            return "calendar date out of range"
        if parts.query:
            seen = self._queries.get(f"{parts.netloc}{parts.path}", ())
            if parts.query not in seen and len(seen) >= self.max_query_variants:
                return "more than max_query_variants query strings on one path"
        return None
