"""Site platforms: what each CMS that PPID sites run on needs from the crawler, as data.

Most Indonesian PPID sites run on a handful of platforms (WordPress, Laravel apps, Joomla,
Drupal). Each platform is one record — how to recognise it and which of its URLs never carry
PPID information (feeds, log-in pages, tag archives, search results, print views) — so that
an agency is only a registry row: its start URL and, if detection guesses wrong, a
``platform`` column. The crawler skips those URLs, which keeps ``max_pages`` for the pages
that matter. As in Querido Diário's base spiders: one base per platform, each site is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapers.model import Page

# URLs no platform publishes PPID information at: log-in, sign-up, share and print views.
COMMON_SKIPS = (
    r"/(login|logout|log-in|signin|sign-in|signup|register|daftar-akun|lupa-password)(/|$)",
    r"[?&](share|print|replytocom)=",
    r"/(cdn-cgi|cgi-bin)/",
)


@dataclass(frozen=True)
class Platform:
    name: str
    generators: tuple[str, ...] = ()
    """Words of ``<meta name="generator">`` that name the platform (lower case)."""
    markers: tuple[str, ...] = ()
    """URL fragments of its links that betray the platform (``/wp-content/``)."""
    skips: tuple[str, ...] = ()
    """Regular expressions on path+query of pages that never carry PPID information."""

    def __post_init__(self) -> None:
        pattern = "|".join(f"(?:{p})" for p in COMMON_SKIPS + self.skips)
        object.__setattr__(self, "_skip", re.compile(pattern, re.IGNORECASE))

    def skip_reason(self, url: str) -> str | None:
        """Why a page URL is not worth fetching on this platform, or None."""
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        if self._skip.search(target):  # type: ignore[attr-defined]
            return f"{self.name} page without PPID information"
        return None

    def recognises(self, page: Page) -> bool:
        generator = page.generator.lower()
        if any(word in generator for word in self.generators):
            return True
        return any(marker in link.url for link in page.links for marker in self.markers)


GENERIC = Platform("generic")
WORDPRESS = Platform(
    "wordpress",
    generators=("wordpress",),
    markers=("/wp-content/", "/wp-includes/", "/wp-json/"),
    skips=(r"/feed/?$", r"/wp-json/", r"/wp-admin/", r"/wp-login\.php", r"/xmlrpc\.php",
           r"/(tag|author)/", r"[?&]s=", r"/comments/", r"/embed/?$", r"[?&]amp(=|$)"),
)
JOOMLA = Platform(
    "joomla",
    generators=("joomla",),
    markers=("option=com_", "/component/", "/media/jui/"),
    skips=(r"[?&]format=(feed|rss|atom)", r"[?&]tmpl=component", r"/component/users",
           r"[?&]task=(weblink|user)", r"/component/mailto"),
)
DRUPAL = Platform(
    "drupal",
    generators=("drupal",),
    markers=("/sites/default/files/", "/sites/all/"),
    skips=(r"/user/(login|register|password)", r"[?&]destination=", r"/node/add",
           r"/rss\.xml$", r"/taxonomy/term/\d+/feed", r"/search/node"),
)
LARAVEL = Platform(
    "laravel",
    markers=("/storage/app/", "/livewire/"),
    skips=(r"/password/(reset|email)", r"/_debugbar/", r"/livewire/", r"/sanctum/",
           r"/email/verify"),
)

PLATFORMS = {p.name: p for p in (WORDPRESS, JOOMLA, DRUPAL, LARAVEL, GENERIC)}


def platform_named(name: str) -> Platform:
    try:
        return PLATFORMS[name]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}: one of {', '.join(PLATFORMS)}") from None


def detect_platform(page: Page) -> Platform:
    """The platform a site's start page shows (its generator tag, then its links)."""
    for platform in PLATFORMS.values():
        if platform is not GENERIC and platform.recognises(page):
            return platform
    return GENERIC
