"""Site platforms and off-site publication hosts: loads and validates ``core/platforms.yaml``.

The records are data (see the file's header for each field); this module only checks them
(names are slugs, patterns compile, ``generic`` comes last) and hands them out. The ground
floor needs the platform names to validate the registry's ``platform`` column; the crawler
(``scrapers.crawling.platforms``) builds each platform's behaviour from the same records.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from core.datafile import load_yaml_model

PLATFORMS_FILE = Path(__file__).with_name("platforms.yaml")
GENERIC = "generic"


def _compiles(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return patterns


class PlatformRecord(BaseModel):
    """One site platform: how to recognise it and which of its URLs to skip."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    generators: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    skips: tuple[str, ...] = ()

    _patterns = field_validator("skips")(_compiles)

    @field_validator("generators")
    @classmethod
    def _lower_case(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(word.lower() for word in words)


class PublicationHost(BaseModel):
    """An off-site service where agencies publish (a file drive, a form, SiRUP, a JDIH …);
    ``scrapers.detection.hosts.HostRule`` documents each field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    domains: tuple[str, ...] = ()
    host_patterns: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    any_host: bool = False
    publishes: tuple[str, ...] = ()
    broken_phrases: tuple[str, ...] = ()
    broken_urls: tuple[str, ...] = ()
    description: str = ""

    _patterns = field_validator("host_patterns", "paths", "broken_urls")(_compiles)

    @model_validator(mode="after")
    def _recognisable(self) -> PublicationHost:
        if not (self.domains or self.host_patterns or (self.any_host and self.paths)):
            raise ValueError("a publication host needs domains, host_patterns, or any_host paths")
        return self


class PlatformData(BaseModel):
    """The whole file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    common_skips: tuple[str, ...] = ()
    platforms: tuple[PlatformRecord, ...] = Field(min_length=1)
    publication_hosts: tuple[PublicationHost, ...] = ()

    _patterns = field_validator("common_skips")(_compiles)

    @field_validator("platforms")
    @classmethod
    def _generic_last_and_names_unique(cls, records: tuple[PlatformRecord, ...]):
        names = [r.name for r in records]
        if len(set(names)) != len(names):
            raise ValueError(f"platform names repeat: {', '.join(names)}")
        if names[-1] != GENERIC:
            raise ValueError(f"the last platform must be {GENERIC!r} (the fallback)")
        return records


class PlatformFileError(ValueError):
    """``platforms.yaml`` is unusable; the message names the file and the entry."""


def load_platform_data(path: str | Path = PLATFORMS_FILE) -> PlatformData:
    """Read and validate a platforms file."""
    return load_yaml_model(path, PlatformData, PlatformFileError)


@lru_cache(maxsize=1)
def platform_data() -> PlatformData:
    """The bundled records (read once per process)."""
    return load_platform_data()


def platform_names() -> tuple[str, ...]:
    """The values the registry's ``platform`` column accepts, in detection order."""
    return tuple(record.name for record in platform_data().platforms)
