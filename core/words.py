"""The word lists detection reads: loads and validates ``core/words.yaml``.

Beside the checklist (each category's own labels live in ``checklist.yaml``) this file holds
the words about pages and links in general: connectives and spelling variants for matching,
the words of a bare "Unduh" link, news folders, share hosts, error-page and "no data yet"
phrases. They are data so a region can read and extend them without reading Python; this
module checks their shape (lower case, no empty or repeated entries) and hands them out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from core.datafile import load_yaml_model

WORDS_FILE = Path(__file__).with_name("words.yaml")


def _clean(words: tuple[str, ...]) -> tuple[str, ...]:
    for word in words:
        if not word.strip():
            raise ValueError("an empty entry")
        if word != word.lower():
            raise ValueError(f"{word!r} is not lower case")
    repeated = sorted({w for w in words if words.count(w) > 1})
    if repeated:
        raise ValueError(f"repeated: {', '.join(repeated)}")
    return words


class Words(BaseModel):
    """Every list of ``words.yaml`` (see the file for what each one is for)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    connectives: tuple[str, ...]
    spelling_variants: dict[str, str]
    generic_anchor_words: tuple[str, ...]
    download_words: tuple[str, ...]
    news_segments: tuple[str, ...]
    share_hosts: tuple[str, ...]
    error_page_phrases: tuple[str, ...]
    placeholder_phrases: tuple[str, ...]

    _lists = field_validator(
        "connectives", "generic_anchor_words", "download_words", "news_segments",
        "share_hosts", "error_page_phrases", "placeholder_phrases",
    )(_clean)

    @field_validator("spelling_variants")
    @classmethod
    def _variants(cls, variants: dict[str, str]) -> dict[str, str]:
        _clean(tuple(variants) + tuple(set(variants.values())))
        return variants


class WordsFileError(ValueError):
    """``words.yaml`` is unusable; the message names the file and the list."""


def load_words(path: str | Path = WORDS_FILE) -> Words:
    """Read and validate a words file."""
    return load_yaml_model(path, Words, WordsFileError)


@lru_cache(maxsize=1)
def detection_words() -> Words:
    """The bundled word lists (read once per process)."""
    return load_words()
