"""robots.txt per RFC 9309, parsed with protego.

What an answer means (RFC 9309 §2.3.1):

- 2xx: the rules apply (the first ``crawl.max_robots_bytes`` of the file are read; RFC 9309
  §2.5 asks for at least 500 KiB);
- 4xx (except 429): "unavailable", so every URL is allowed;
- 5xx, 429 or no answer at all: "unreachable", so every URL is disallowed, and the
  crawl notes why: a site whose robots.txt is down is not crawled rather than crawled blind;
- redirects are followed (``max_redirects`` hops); too many make the file unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from protego import Protego

from scrapers.crawling.charset import decode_html
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.urls import normalize_url


@dataclass
class RobotsPolicy:
    """The rules of one origin's robots.txt, reduced to what the crawler asks."""

    rules: Protego | None = None
    allow_all: bool = True
    note: str | None = None
    """Set when the file could not be used as written (why everything is allowed/disallowed)."""
    sitemaps: list[str] = field(default_factory=list)
    error: str | None = None
    """Why robots.txt got no answer at all (refused, DNS, TLS): the site itself is likely down."""

    @classmethod
    def allowing_all(cls, note: str | None = None) -> RobotsPolicy:
        return cls(allow_all=True, note=note)

    @classmethod
    def disallowing_all(cls, note: str) -> RobotsPolicy:
        return cls(allow_all=False, note=note)

    @classmethod
    def parse(cls, text: str, base_url: str) -> RobotsPolicy:
        """Rules from robots.txt text; relative ``Sitemap:`` lines are resolved against
        ``base_url``."""
        rules = Protego.parse(text)
        sitemaps = [s for s in (normalize_url(_absolute(base_url, u)) for u in rules.sitemaps) if s]
        return cls(rules=rules, allow_all=False, sitemaps=sitemaps)

    @classmethod
    def from_answer(cls, status: int, body: bytes, content_type: str, url: str,
                    max_bytes: int | None = None) -> RobotsPolicy:
        """The policy an HTTP answer to ``/robots.txt`` implies (see the module docstring);
        only the first ``max_bytes`` of the body are parsed."""
        if 200 <= status < 300:
            return cls.parse(decode_html(body[:max_bytes], content_type), url)
        if status == 429 or status >= 500:
            return cls.disallowing_all(
                f"robots.txt answered HTTP {status}: treated as disallow-all (RFC 9309)"
            )
        if 400 <= status < 500:
            return cls.allowing_all()
        return cls.allowing_all(f"robots.txt answered HTTP {status}: treated as allow-all")

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.rules is None:
            return self.allow_all
        return self.rules.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        return self.rules.crawl_delay(user_agent) if self.rules is not None else None


def _absolute(base: str, url: str) -> str:
    return urljoin(base, url.strip())


def robots_url(origin: str) -> str:
    """The robots.txt URL of an origin (``scheme://host[:port]``)."""
    return f"{origin}/robots.txt"


def fetch_robots(fetcher: Fetcher, origin: str, deadline: float | None = None) -> RobotsPolicy:
    """Fetch and interpret ``origin``'s robots.txt (retries and redirects as for any page)."""
    url = robots_url(origin)
    limit = fetcher.settings.max_robots_bytes
    try:
        response = fetcher.follow(url, body_limit=limit, deadline=deadline)
    except FetchError as error:
        if error.kind == "redirect":
            return RobotsPolicy.allowing_all(f"robots.txt: {error}; treated as allow-all")
        policy = RobotsPolicy.disallowing_all(
            f"robots.txt unreachable ({error}): treated as disallow-all (RFC 9309)"
        )
        policy.error = str(error)
        return policy
    return RobotsPolicy.from_answer(response.status, response.body, response.content_type, url,
                                    max_bytes=limit)
