"""The word lists detection reads: loads and validates ``core/words.yaml``.

Beside the checklist (each category's own labels live in ``checklist.yaml``) this file holds
the words about pages and links in general: connectives and spelling variants for matching,
the words of a bare "Unduh" link, news folders, share hosts, error-page and "no data yet"
phrases, the words of a definition, of region and agency names and of JSON record fields.
They are data so a region can read and extend them without reading Python; this
module checks their shape (lower case, no empty or repeated entries) and hands them out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

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
    definition_verbs: tuple[str, ...]
    definition_subject_words: tuple[str, ...]
    content_introducers: tuple[str, ...]
    detail_title_keys: tuple[str, ...]
    column_names: tuple[str, ...]
    filename_nothing_words: tuple[str, ...]
    region_words: dict[str, Literal["kabupaten", "kota", "provinsi"]]
    not_a_region_name: tuple[str, ...]
    agency_heads: tuple[str, ...]
    named_agency_heads: tuple[str, ...]
    agency_head_spellings: dict[str, tuple[str, ...]]
    generic_host_labels: tuple[str, ...]
    json_title_keys: tuple[str, ...]
    json_title_parts: tuple[str, ...]
    json_title_excluded: tuple[str, ...]
    json_url_keys: tuple[str, ...]
    json_url_parts: tuple[str, ...]
    json_url_excluded: tuple[str, ...]
    json_year_keys: tuple[str, ...]
    json_year_parts: tuple[str, ...]
    json_group_keys: tuple[str, ...]

    _lists = field_validator(
        "connectives", "generic_anchor_words", "download_words", "news_segments",
        "share_hosts", "error_page_phrases", "placeholder_phrases", "definition_verbs",
        "definition_subject_words", "content_introducers", "detail_title_keys", "column_names",
        "filename_nothing_words", "not_a_region_name", "agency_heads", "named_agency_heads",
        "generic_host_labels", "json_title_keys", "json_title_parts", "json_title_excluded",
        "json_url_keys", "json_url_parts", "json_url_excluded", "json_year_keys",
        "json_year_parts", "json_group_keys",
    )(_clean)

    @field_validator("region_words", "agency_head_spellings")
    @classmethod
    def _keys(cls, mapping: dict) -> dict:
        _clean(tuple(mapping))
        return mapping

    @model_validator(mode="after")
    def _heads_known(self) -> Words:
        unknown = sorted(set(self.named_agency_heads) - set(self.agency_heads))
        unknown += sorted(set(self.agency_head_spellings) - set(self.agency_heads))
        if unknown:
            raise ValueError(f"heads not in agency_heads: {', '.join(unknown)}")
        return self

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
