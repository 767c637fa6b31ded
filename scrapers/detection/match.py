"""Text normalisation and the matching of category labels, abbreviations and URL hints (pure).

Everything is compared in one normal form: lower case, accents removed, every run of
punctuation a single space, a few spelling variants unified (``ijin`` = ``izin``, ``form`` =
``formulir``) and the connectives ``dan``/``yang``/``serta``/``atau`` dropped, so that
"Visi dan Misi", "Visi-Misi" and "VISI MISI" are one phrase. A phrase matches on token
boundaries only: "DIP" is a token of "Unduh DIP 2024" but not of "Diploma".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from core.words import detection_words

MEMO_SIZE = 8192
"""Entries in each of detection's memo caches (texts and URLs seen again within a site: its
menu on every page). Sites share almost none, so a bigger cache only grows with the run: at
65,536 entries each, a national run's processes kept ~5 KB more per agency crawled."""

LABEL = "label"
ABBREVIATION = "abbr"
SLUG = "slug"

CONNECTIVES = frozenset(detection_words().connectives)
"""Dropped from every text: labels are written with or without them (``core/words.yaml``)."""

SPELLING_VARIANTS = dict(detection_words().spelling_variants)
"""Token → canonical spelling; both sides of a comparison go through it."""

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD_JOINS = re.compile(r"(?<=[a-z]{3})(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
"""Where glued words part in a file name: ``LaporanKeuangan2023`` → ``Laporan Keuangan 2023``.
A capital after fewer than three lower-case letters stays glued, keeping ``LKjIP`` and ``SiRUP``."""
CACHE_LIMIT = 100_000
"""Texts whose matches a Matcher remembers before it starts afresh."""
DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "zip",
     "rar", "jpg", "jpeg", "png", "html", "htm", "php", "aspx", "asp"}
)
"""File extensions, dropped from URL tokens (``.pdf`` names no category)."""


def strip_accents(text: str) -> str:
    """``Café`` → ``Cafe``: decompose and drop the combining marks."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=MEMO_SIZE)
def normalize(text: str) -> str:
    """The normal form of a text: tokens separated by single spaces (see the module doc)."""
    if not text:
        return ""
    flat = _NON_ALNUM.sub(" ", strip_accents(text).lower())
    tokens: list[str] = []
    for token in flat.split():
        if token in CONNECTIVES:
            continue
        tokens.append(SPELLING_VARIANTS.get(token, token))
    return " ".join(tokens)


def contains_phrase(normal_text: str, normal_phrase: str) -> bool:
    """Whether a normalised phrase occurs in a normalised text on token boundaries."""
    if not normal_phrase or not normal_text:
        return False
    return f" {normal_phrase} " in f" {normal_text} "


def url_text(url: str) -> str:
    """The words of a URL's path and query values, normalised, file extensions dropped.

    Slugs (``laporan-keuangan``, ``lap_keu``), camelCase and glued years (``LKjIP2023``) are
    split into words: ``/files/LaporanKeuangan2023.pdf`` → ``files laporan keuangan 2023``.
    """
    parts = urlsplit(url)
    pieces = [unquote(parts.path)] + [unquote(value) for _, value in parse_qsl(parts.query)]
    return " ".join(w for w in (_url_words(piece) for piece in pieces) if w)


def file_name(url: str) -> str:
    """The last path segment of a URL, decoded (``/a/LKjIP%202023.pdf`` → ``LKjIP 2023.pdf``)."""
    path = unquote(urlsplit(url).path)
    return path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Match:
    """What matched: the rule kind (label, abbr, slug) and the checklist term as written there."""

    kind: str
    term: str


@dataclass(frozen=True)
class Terms:
    """One category's terms as written in the checklist."""

    labels: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    url_hints: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    form_terms: tuple[str, ...] = ()
    """Terms naming a form of document ("SOP"): qualified by another key's subject right after
    them ("SOP Evakuasi"), the text is about that other key only."""


QUALIFIER_GAP = 2
"""Words allowed between a form term and the subject that qualifies it ("SOP Penanganan
Evakuasi Bencana")."""


@dataclass(frozen=True)
class _Entry:
    phrase: str
    """Normal form."""
    key: str
    """The category id."""
    kind: str
    term: str
    rank: tuple[int, int]
    """Lower is better: labels before abbreviations, then longer phrases first."""


class Matcher:
    """All categories' terms in one index keyed by first token, so matching a text costs one
    dictionary lookup per token of the text instead of one scan per term of every category.
    """

    def __init__(self, terms_by_key: dict[str, Terms]):
        self._text_index: dict[str, list[_Entry]] = {}
        self._url_index: dict[str, list[_Entry]] = {}
        self._exclude: dict[str, tuple[str, ...]] = {}
        self._form_terms: dict[str, frozenset[str]] = {}
        self._cache: dict[tuple[str, bool], tuple] = {}
        for key, terms in terms_by_key.items():
            self._exclude[key] = tuple(sorted({normalize(e) for e in terms.exclude} - {""}))
            forms = frozenset(normalize(t) for t in terms.form_terms) - {""}
            if forms:
                self._form_terms[key] = forms
            self._add(self._text_index, key, LABEL, terms.labels, 0)
            self._add(self._text_index, key, ABBREVIATION, terms.abbreviations, 1)
            self._add(self._url_index, key, SLUG, terms.url_hints, 0)
            self._add(self._url_index, key, SLUG, terms.labels, 1)
            self._add(self._url_index, key, SLUG, terms.abbreviations, 2)

    @staticmethod
    def _add(index: dict[str, list[_Entry]], key: str, kind: str, terms, order: int) -> None:
        for term in terms:
            phrase = normalize(term)
            if phrase:
                entry = _Entry(phrase, key, kind, term, (order, -len(phrase)))
                index.setdefault(phrase.split(" ", 1)[0], []).append(entry)

    def excluded(self, key: str, normal_text: str) -> bool:
        return any(contains_phrase(normal_text, phrase) for phrase in self._exclude.get(key, ()))

    def in_text(self, text: str) -> dict[str, Match]:
        """Category key → its best match in a text (labels before abbreviations, longest first);
        a category whose exclusions the text holds is left out."""
        return self._match(normalize(text), self._text_index)

    def in_url_segments(self, url: str, last_only: bool = False) -> dict[str, Match]:
        """Category key → a URL hint, label or abbreviation in the URL's words.

        Looks at the file name (last path segment) and query values, then, unless
        ``last_only``, the folders from the innermost out. Exclusions apply per segment, so a
        ``/ppid/`` folder does not veto a ``struktur-organisasi.pdf`` file name.
        """
        result: dict[str, Match] = {}
        for words in _url_segments(url, last_only):
            for key, match in self._match(words, self._url_index).items():
                result.setdefault(key, match)
        return result

    def _match(self, normal: str, index: dict[str, list[_Entry]]) -> dict[str, Match]:
        """Memoised per text: the same menu and table texts recur on every page of a site."""
        if not normal:
            return {}
        key = (normal, index is self._text_index)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[key] = self._match_uncached(normal, index)
        return dict(cached)

    def _match_uncached(self, normal: str, index: dict[str, list[_Entry]]) -> tuple:
        best: dict[str, _Entry] = {}
        for token in set(normal.split()):
            for entry in index.get(token, ()):
                if entry.key in best and best[entry.key].rank <= entry.rank:
                    continue
                if contains_phrase(normal, entry.phrase):
                    best[entry.key] = entry
        kept = {key: entry for key, entry in best.items() if not self.excluded(key, normal)}
        for key in [k for k, e in kept.items() if e.phrase in self._form_terms.get(k, ())]:
            if self._qualified(normal, kept[key], [e for k, e in kept.items() if k != key]):
                del kept[key]
        return tuple((key, Match(entry.kind, entry.term)) for key, entry in kept.items())

    @staticmethod
    def _qualified(normal: str, form: _Entry, others: list[_Entry]) -> bool:
        """Whether another key's phrase follows the form term closely ("SOP Evakuasi")."""
        tokens = normal.split()
        size = len(form.phrase.split())
        spans = [(i, i + size) for i in _starts(tokens, form.phrase.split())]
        for other in others:
            other_tokens = other.phrase.split()
            for start in _starts(tokens, other_tokens):
                end = start + len(other_tokens)
                # It starts after the form term begins, reaches past its end, and not far off:
                # "Maklumat Pelayanan" + "Pelayanan Perizinan" overlap and still qualify.
                if any(f_start < start <= f_end + QUALIFIER_GAP and end > f_end
                       for f_start, f_end in spans):
                    return True
        return False


def _starts(tokens: list[str], phrase: list[str]) -> list[int]:
    """Indexes where ``phrase`` occurs in ``tokens``."""
    size = len(phrase)
    return [i for i in range(len(tokens) - size + 1) if tokens[i:i + size] == phrase]


@lru_cache(maxsize=MEMO_SIZE)
def _url_segments(url: str, last_only: bool) -> tuple[str, ...]:
    return tuple(url_segments(url, last_only))


def url_segments(url: str, last_only: bool = False) -> list[str]:
    """Normalised words of a URL's file name and query values, then of each folder, innermost first."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    first = " ".join([segments[-1] if segments else ""] + [unquote(v) for _, v in parse_qsl(parts.query)])
    pieces = [first] + ([] if last_only else list(reversed(segments[:-1])))
    return [w for w in (_url_words(piece) for piece in pieces) if w]


def _url_words(piece: str) -> str:
    words = []
    for word in re.split(r"[^0-9A-Za-z]+", strip_accents(piece)):
        if word and word.lower() not in DOCUMENT_EXTENSIONS:
            words.append(_WORD_JOINS.sub(" ", word))
    return normalize(" ".join(words))
