"""Site platforms: what each CMS that PPID sites run on needs from the crawler, as data.

Most Indonesian PPID sites run on a handful of platforms (WordPress, Laravel apps, Joomla,
Drupal). Each platform is one record of ``core/platforms.yaml`` — how to recognise it and
which of its URLs never carry PPID information (feeds, log-in pages, tag archives, search
results, print views) — so that an agency is only a registry row: its start URL and, if detection guesses wrong, a
``platform`` column. The crawler skips those URLs, which keeps ``max_pages`` for the pages
that matter. As in Querido Diário's base spiders: one base per platform, each site is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.platforms import GENERIC as GENERIC_NAME
from core.platforms import platform_data
from scrapers.model import Page

COMMON_SKIPS = platform_data().common_skips
"""URLs no platform publishes PPID information at: log-in, sign-up, share and print views."""


@dataclass(frozen=True)
class Platform:
    """One platform's behaviour in the crawler, built from its record in ``core/platforms.yaml``."""

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


PLATFORMS = {
    record.name: Platform(record.name, record.generators, record.markers, record.skips)
    for record in platform_data().platforms
}
"""Every platform of ``core/platforms.yaml``, in detection order (``generic`` last)."""
GENERIC = PLATFORMS[GENERIC_NAME]


def platform_named(name: str) -> Platform:
    """The platform a registry ``platform`` value names (ValueError for an unknown one)."""
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
