"""Publications held as data instead of markup: JSON → lists of publications (pure, no I/O).

Many PPID sites ship their lists as data the browser turns into a page: an Inertia
``data-page`` attribute (Laravel + Vue/React), Next.js ``__NEXT_DATA__``, SvelteKit's
``<script type="application/json">``, ``window.__DATA__ = {…}`` state in an inline script, or a
JSON list endpoint the page calls (DataTables, a Vue app). A careful reader of such a page sees a
table of documents; this module reads the same data.

It is the one place that turns JSON into publications — :func:`publications_from_json` — used
by extraction for inline state (:func:`inline_links`) and by rendering for the JSON answers a
page fetched. The shape is found, not configured: any JSON object with a title-like field and a
URL-like field is one publication; its year comes from a year-like field, its group (the
category list it belongs to) from a category-like field of its own or from the nearest
enclosing object's title or the key of the list it sits in ("berkala": [...]). DataTables rows
given as arrays (``["1", "LKjIP 2024", "2024", "<a href=…>Unduh</a>"]``) are read cell by cell.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import chompjs
import lxml.etree

from core.words import detection_words
from scrapers.model import Link

MAX_JSON_CHARS = 2_000_000
"""Inline state larger than this is not read (a page's list is far smaller)."""
MAX_PUBLICATIONS = 5_000
"""Publications read from one JSON document at most."""
MAX_DEPTH = 40
"""Nesting depth walked at most (hostile JSON can nest deeper than Python's stack)."""
TEXT_LIMIT = 200

VIA_JSON = "embedded-json"
"""``Link.via`` of a publication read from JSON (inline state or a JSON answer)."""

WORDS = detection_words()

TITLE_KEYS = WORDS.json_title_keys
"""Fields naming a publication, best first (compared in lower case without ``_``/``-``)."""
URL_KEYS = WORDS.json_url_keys
"""Fields holding where a publication is, best first."""
YEAR_KEYS = WORDS.json_year_keys
GROUP_KEYS = WORDS.json_group_keys
"""Fields naming the list a publication belongs to (Informasi Berkala, Serta Merta …)."""
ASSET_EXT_RE = re.compile(r"\.(js|mjs|css|map|woff2?|ttf|eot|svg|ico|webmanifest)$", re.I)
URLISH_RE = re.compile(r"^(https?://|/|\./|\.\./)|^[\w.-]+(/[\w.%~+-]+)*\.[a-z0-9]{2,5}$", re.I)
HREF_IN_CELL_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
TAG_RE = re.compile(r"<[^>]+>")
KEY_WORDS_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|[_\-.]+")


@dataclass(frozen=True)
class Publication:
    """One publication a JSON document lists."""

    title: str
    url: str
    """Absolute."""
    year: str = ""
    """The year field as written ("2024", "2021-2026"), or empty."""
    group: str = ""
    """The list it belongs to ("Informasi Berkala"), or empty."""

    def to_link(self) -> Link:
        """The publication as a link detection reads like a table row under a heading."""
        context = " | ".join(part for part in (self.title, self.year) if part)
        return Link(url=self.url, text=self.title, context=context, heading=self.group,
                    via=VIA_JSON)


TITLE_PARTS = WORDS.json_title_parts
URL_PARTS = WORDS.json_url_parts
YEAR_PARTS = WORDS.json_year_parts
"""Fallbacks: a key *containing* one of these (``judul_informasi``, ``link_file``,
``tahun_terbit``) ranks after every exact key."""


def _key(name: str) -> str:
    return name.lower().replace("-", "").replace(" ", "")


class _Ranks(dict):
    """Exact key → rank; a key containing one of ``parts`` (and none of ``not_parts``) ranks
    after all of them."""

    def __init__(self, keys, parts, not_parts=()):
        super().__init__({_key(k): i for i, k in enumerate(keys)})
        self.parts = parts
        self.not_parts = not_parts
        self.fallback = len(keys)

    def get(self, key, default=None):
        rank = dict.get(self, key)
        if rank is None and any(p in key for p in self.parts) and not any(
            p in key for p in self.not_parts
        ):
            return self.fallback
        return default if rank is None else rank

    def __contains__(self, key) -> bool:
        return self.get(key) is not None


_TITLE = _Ranks(TITLE_KEYS, TITLE_PARTS, WORDS.json_title_excluded)
_URL = _Ranks(URL_KEYS, URL_PARTS, WORDS.json_url_excluded)
_YEAR = _Ranks(YEAR_KEYS, YEAR_PARTS)
_GROUP = {_key(k) for k in GROUP_KEYS}


def _plain(text: str) -> str:
    """A JSON string as shown text: tags dropped, entities decoded, whitespace folded."""
    if "<" in text:
        text = TAG_RE.sub(" ", text)
    if "&" in text:
        text = html_lib.unescape(text)
    return " ".join(text.split())[:TEXT_LIMIT]


def _absolute(value: str, base_url: str) -> str | None:
    value = value.strip().replace(" ", "%20")  # file names keep their spaces in JSON
    if not value or len(value) > 2000 or not URLISH_RE.match(value):
        return None
    try:
        url = urljoin(base_url, value)
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    if scheme not in ("http", "https") or ASSET_EXT_RE.search(urlsplit(url).path):
        return None
    return url.split("#", 1)[0]


def _url_of(value: object, base_url: str) -> str | None:
    """A URL field's value: a string, or an object holding one (``{"file": {"url": …}}``)."""
    if isinstance(value, str):
        return _absolute(value, base_url)
    if isinstance(value, dict):
        for _name, inner in sorted(
            ((k, v) for k, v in value.items() if _key(k) in _URL), key=lambda kv: _URL.get(_key(kv[0]))
        ):
            if isinstance(inner, str):
                url = _absolute(inner, base_url)
                if url:
                    return url
    return None


def _words_of_key(key: str) -> str:
    """``informasiBerkala`` / ``serta_merta`` → ``informasi Berkala`` / ``serta merta``."""
    return " ".join(KEY_WORDS_RE.sub(" ", key).split())


GENERIC_KEYS = frozenset(
    {"data", "items", "item", "rows", "row", "list", "lists", "results", "result", "records",
     "docs", "dokumen", "documents", "files", "berkas", "children", "props", "pageprops",
     "page", "pages", "content", "entries", "nodes", "edges", "values", "payload", "response",
     "state", "store", "initialstate", "dehydratedstate", "queries", "links", "aaData", "aadata"}
)
"""Keys of lists that say nothing about what the list holds."""


class _Reader:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.found: list[Publication] = []
        self.seen: set[tuple[str, str]] = set()

    def walk(self, node: object, group: str, depth: int, named: bool = False) -> None:
        """``named``: the group comes from a field (kategori, a parent's title), not a key."""
        if depth > MAX_DEPTH or len(self.found) >= MAX_PUBLICATIONS:
            return
        if isinstance(node, dict):
            self._object(node, group, depth, named)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, list) and item and all(not isinstance(c, dict | list) for c in item):
                    self._row(item, group)
                else:
                    self.walk(item, group, depth + 1, named)

    def _object(self, node: dict, group: str, depth: int, named: bool) -> None:
        title = self._field(node, _TITLE)
        own_group = self._group(node)
        url = None
        for _key_name, value in sorted(
            ((k, v) for k, v in node.items() if isinstance(k, str) and _key(k) in _URL),
            key=lambda kv: _URL.get(_key(kv[0])),
        ):
            url = _url_of(value, self.base_url)
            if url:
                break
        if title and url:
            self._add(Publication(title, url, self._year(node), own_group or group))
        # What this object is called names the lists inside it: its category field, else its
        # title when it is not itself a publication, else the key of the list.
        inner, inner_named = group, named
        if own_group or (title and not url):
            inner, inner_named = own_group or title, True
        for key, value in node.items():
            if not isinstance(value, dict | list):
                continue
            child, child_named = inner, inner_named
            if not inner_named and isinstance(key, str) and _key(key) not in GENERIC_KEYS:
                child = _words_of_key(key) or inner
            self.walk(value, child, depth + 1, child_named)

    def _row(self, cells: list, group: str) -> None:
        """A DataTables row as an array: the longest text cell is the title, a cell with a
        link or a URL is where it is, a four-digit cell is the year."""
        texts, url, year = [], None, ""
        for cell in cells:
            if not isinstance(cell, str):
                continue
            href = HREF_IN_CELL_RE.search(cell)
            candidate = _absolute(html_lib.unescape(href.group(1)), self.base_url) if href else None
            candidate = candidate or (_absolute(cell, self.base_url) if "/" in cell else None)
            if candidate and url is None:
                url = candidate
                continue
            text = _plain(cell)
            if re.fullmatch(r"(19|20)\d\d([-–/ ]+(19|20)\d\d)?", text):
                year = year or text
            elif text and not text.isdigit():
                texts.append(text)
        if url and texts:
            self._add(Publication(max(texts, key=len), url, year, group))

    def _add(self, publication: Publication) -> None:
        key = (publication.url, publication.title)
        if key not in self.seen:
            self.seen.add(key)
            self.found.append(publication)

    @staticmethod
    def _field(node: dict, ranks: dict[str, int]) -> str:
        best, best_rank = "", len(ranks) + 1
        for key, value in node.items():
            rank = ranks.get(_key(key)) if isinstance(key, str) else None
            if rank is not None and rank < best_rank and isinstance(value, str):
                text = _plain(value)
                if text and not URLISH_RE.match(text):
                    best, best_rank = text, rank
        return best

    @staticmethod
    def _year(node: dict) -> str:
        for key, value in node.items():
            if isinstance(key, str) and _key(key) in _YEAR and isinstance(value, str | int):
                return str(value)[:20]
        return ""

    @staticmethod
    def _group(node: dict) -> str:
        for key, value in node.items():
            if isinstance(key, str) and _key(key) in _GROUP:
                if isinstance(value, str):
                    return _plain(value)
                if isinstance(value, dict):
                    name = _Reader._field(value, _TITLE)
                    if name:
                        return name
        return ""


BODY_KEYS = frozenset({"body", "content", "konten", "isi", "html", "text", "teks", "deskripsi",
                       "description", "uraian", "keterangan"})
"""Fields holding a section's shown text: a title beside one is a heading of the page."""
MIN_BODY_CHARS = 20


def section_titles(data: object, limit: int = 300) -> list[str]:
    """Titles of text sections in JSON state (``{"title": "Struktur Organisasi", "body": "…"}``):
    what a rendered page shows as its headings. Menu entries and publications (which have a URL)
    are not sections."""
    titles: list[str] = []

    def walk(node: object, depth: int) -> None:
        if depth > MAX_DEPTH or len(titles) >= limit:
            return
        if isinstance(node, dict):
            title = _Reader._field(node, _TITLE)
            has_body = any(
                isinstance(k, str) and _key(k) in BODY_KEYS and isinstance(v, str)
                and len(v.strip()) >= MIN_BODY_CHARS and _plain(v) != title
                for k, v in node.items()
            )
            if title and has_body and not any(_url_of(node.get(k), "http://x/") for k in node
                                              if isinstance(k, str) and _key(k) in _URL):
                titles.append(title)
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return
        for child in children:
            if isinstance(child, dict | list):
                walk(child, depth + 1)

    walk(data, 0)
    return titles


def publications_from_json(data: object, base_url: str, group: str = "") -> list[Publication]:
    """Every publication a parsed JSON document lists, in document order (repeats dropped).

    ``base_url`` resolves relative file paths (the page's URL, or the JSON endpoint's);
    ``group`` names the whole list when the caller knows it (the tab that loaded it).
    """
    reader = _Reader(base_url)
    reader.walk(data, group, 0)
    return reader.found


# ---------------------------------------------------------------- inline state in HTML

STATE_ATTRIBUTES = ("data-page", "data-props", "data-react-props", "data-state",
                    "data-initial-state", "wire:initial-data")
"""Attributes that carry a page's data as JSON (Inertia, React-on-Rails, Livewire)."""
ASSIGNMENT_RE = re.compile(
    r"""(?:\b(?:window|self|globalThis)\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*["'][^"']+["']\s*\])"""
    r"""|\b(?:var|let|const)\s+[A-Za-z_$][\w$]*)\s*=\s*(?=[\[{])"""
)
"""``window.__DATA__ = {`` / ``var dokumen = [`` : where a JSON literal may start."""
JSON_PARSE_RE = re.compile(r"""JSON\.parse\(\s*(["'])((?:\\.|(?!\1).){2,})\1\s*\)""", re.S)
JSON_SCRIPT_TYPES = frozenset({"application/json"})
_DECODER = json.JSONDecoder()


DEVALUE_WRAPPERS = frozenset({"Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef",
                              "EmptyShallowRef", "NuxtError", "Date", "Set", "Map", "BigInt", "RegExp"})


def unflatten(flat: object) -> object:
    """Nuxt 3's ``__NUXT_DATA__`` (devalue): a flat array whose objects and arrays hold indexes
    into it. Returns the nested value; anything else is returned as it is."""
    if not isinstance(flat, list) or not flat:
        return flat
    done: dict[int, object] = {}

    def resolve(index: object, depth: int) -> object:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(flat):
            return None
        if index in done or depth > MAX_DEPTH:
            return done.get(index)
        node = flat[index]
        if isinstance(node, dict):
            result: dict = {}
            done[index] = result
            for key, value in node.items():
                result[key] = resolve(value, depth + 1)
            return result
        if isinstance(node, list):
            if node and isinstance(node[0], str) and node[0] in DEVALUE_WRAPPERS:
                done[index] = None
                inner = [resolve(i, depth + 1) for i in node[1:]] if node[0] in ("Set", "Map") else (
                    resolve(node[1], depth + 1) if len(node) > 1 and node[0] != "Date" else None)
                done[index] = inner
                return inner
            items: list = []
            done[index] = items
            items.extend(resolve(i, depth + 1) for i in node)
            return items
        done[index] = node
        return node

    return resolve(0, 0)


def _fetched_body(value: object) -> object:
    """SvelteKit's ``data-sveltekit-fetched`` script: the answer's body is a JSON string."""
    if isinstance(value, dict) and isinstance(value.get("body"), str):
        try:
            return json.loads(value["body"])
        except (ValueError, RecursionError):
            return value
    return value


def _json_in_script(text: str) -> Iterator[object]:
    """JSON literals assigned in an inline script, and JSON.parse('…') arguments."""
    for match in ASSIGNMENT_RE.finditer(text):
        try:
            value, _end = _DECODER.raw_decode(text, match.end())
        except (ValueError, RecursionError):
            value = _js_literal(text, match.end())  # unquoted keys, 'single quotes', trailing commas
            if value is None:
                continue
        yield value
    for match in JSON_PARSE_RE.finditer(text):
        quote, body = match.groups()
        try:
            yield json.loads(_js_string(body, quote))
        except (ValueError, RecursionError):
            continue


def _js_literal(text: str, start: int) -> object:
    """The JavaScript object or array literal at ``start`` as data, or None (chompjs)."""
    try:
        return chompjs.parse_js_object(text[start:], unicode_escape=False)
    except (ValueError, RecursionError, TypeError, SystemError):
        return None


def _js_string(body: str, quote: str) -> str:
    """The value of a JavaScript string literal's body (JSON escapes; ``\\'`` in '…')."""
    if quote == "'":
        body = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', body).replace("\\'", "'")
    return json.loads('"' + body + '"')


_STATE_XPATH = lxml.etree.XPath(
    "//*[" + " or ".join(f"@{name}" for name in STATE_ATTRIBUTES if ":" not in name)
    + " or @*[name()='wire:initial-data']] | //script[not(@src)]"
)


STATE_ATTRIBUTE_SET = frozenset(STATE_ATTRIBUTES)


def is_state_holder(el, tag: str, names) -> bool:
    """Whether an element may hold inline state: an inline script, or one of
    :data:`STATE_ATTRIBUTES` (for callers that walk the tree anyway)."""
    if tag == "script":
        return el.get("src") is None and bool(el.text)
    return bool(names) and not STATE_ATTRIBUTE_SET.isdisjoint(names)


def inline_states(root, candidates=None) -> Iterator[tuple[str, object]]:
    """``(where, parsed JSON)`` for every piece of inline state of an lxml document.

    ``candidates``: the elements that may hold state (see :func:`is_state_holder`), when the
    caller has already found them; else the document is searched."""
    for el in _STATE_XPATH(root) if candidates is None else candidates:
        if not isinstance(el.tag, str):
            continue
        for name in STATE_ATTRIBUTES:
            value = el.get(name)
            if value and value.lstrip()[:1] in ("{", "[") and len(value) <= MAX_JSON_CHARS:
                try:
                    yield name, json.loads(value)
                except (ValueError, RecursionError):
                    pass
        if el.tag.lower() != "script" or el.get("src"):
            continue
        text = el.text or ""
        if not text.strip() or len(text) > MAX_JSON_CHARS:
            continue
        kind = (el.get("type") or "").split(";", 1)[0].strip().lower()
        if kind in JSON_SCRIPT_TYPES:
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                continue
            where = el.get("id") or "application/json"
            if where == "__NUXT_DATA__" or el.get("data-nuxt-data") is not None:
                value = unflatten(value)
            elif el.get("data-sveltekit-fetched") is not None:
                value = _fetched_body(value)
            yield where, value
        elif kind in ("", "text/javascript", "application/javascript", "module") and (
            "=" in text or "JSON.parse" in text
        ):
            for value in _json_in_script(text):
                yield "script", value


@dataclass
class InlineContent:
    """What a page's inline state shows once rendered: publications (as links) and headings."""

    links: list[Link]
    headings: list[str]


def inline_content(root, base_url: str, candidates=None) -> InlineContent:
    """The publications and section titles of a page's inline state (see :class:`Publication`)."""
    links: list[Link] = []
    headings: list[str] = []
    seen: set[tuple[str, str]] = set()
    for _where, data in inline_states(root, candidates):
        headings += section_titles(data)
        for publication in publications_from_json(data, base_url):
            key = (publication.url, publication.title)
            if key not in seen and len(links) < MAX_PUBLICATIONS:
                seen.add(key)
                links.append(publication.to_link())
    return InlineContent(links, headings)


def inline_links(root, base_url: str) -> list[Link]:
    """The publications of a page's inline state, as links."""
    return inline_content(root, base_url).links
