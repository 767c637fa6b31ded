"""Which checklist categories a crawled site publishes: pure functions over a SiteCrawl.

Evidence is only what a site *presents as* a publication: a link (its anchor text, title
attribute, file name or URL slug), the table row / list item / card and the heading a bare
"Unduh" link sits under, and a page that is itself the category page (title, H1 or slug).
Body prose never reaches detection (extraction keeps no prose), so "rapat penyusunan laporan
keuangan" in a news story publishes nothing; news-like URLs and event words are excluded too.

Rules, strongest first (``matched_rule`` names them ``kind:term@where`` or ``page:where``):

========================  ==================================================================
``label|abbr:X@anchor``   the link text names the category (abbreviations as whole words)
``label|abbr:X@title``    the link's title attribute does
``page:title|h1``         a fetched page's title (one part of "A | Site") or H1 does
``slug:X@url``            the file name / URL slug does (``lkjip-2023.pdf``, ``/maklumat``);
                          also a verified document no page links (found in a sitemap)
``label|abbr:X@context``  the row, list item or card of a link that names nothing itself
``label|abbr:X@heading``  the nearest heading above such a link (when its row names nothing)
``page:heading``          a section heading of a fetched page ("Struktur Organisasi" on the
                          Profil page); not a heading that is a link's text (a news card)
``page:url``              a fetched page's last URL segment names it
========================  ==================================================================

Page rules (``page:*`` and links to live pages of this site) serve only categories whose
publication may be a page (``page_evidence: true`` in the checklist: Profil, Maklumat, a
request form …); a document category needs a document, or a link to another site (LPSE,
JDIH), which cannot be checked and counts as live.

What a link points at decides whether it is live: a document is looked up in
``crawl.documents`` (``DocumentCheck.ok``), a page in ``crawl.pages`` (2xx/304 and not an
error page). A menu link to a page of this site that was not fetched OK is dead, and so is an
"Unduh" link whose URL answered with an error.

Verdict per category: when any document evidence exists, documents decide (a category page
whose only file is dead is ``broken``). No candidate → ``missing``; only dead ones →
``broken``; otherwise the best live candidate (fresh first, then verified, then a document,
then the newest year, then the strongest rule) gives ``found`` or ``stale`` by the
category's freshness rule (:func:`is_fresh`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from core.checklist import Category, Checklist
from core.words import detection_words
from scrapers.detection.doctypes import document_kind
from scrapers.detection.match import (
    Match,
    Matcher,
    Terms,
    contains_phrase,
    file_name,
    normalize,
    url_segments,
)
from scrapers.detection.years import Period, newest_year, semester_period
from scrapers.model import (
    BROKEN,
    FOUND,
    MISSING,
    STALE,
    UNREACHABLE,
    Finding,
    Link,
    Page,
    SiteCrawl,
)
from scrapers.urls import SiteScope, normalize_url

LIVE = "live"
UNVERIFIED = "unverified"
"""Not checked (another site, or past the crawl's limits): given the benefit of the doubt."""
DEAD = "dead"
EMPTY = "empty"
"""A live page of this site that says it has no data yet: evidence of nothing."""

DOCUMENT = "document"
PAGE = "page"

STRENGTH = {
    "anchor": 0,
    "title": 1,
    "page:title": 2,
    "page:h1": 2,
    "url": 3,
    "context": 4,
    "heading": 5,
    "page:heading": 6,
    "page:url": 7,
    "document": 8,
}
"""Rule strength, lower is stronger: the tie-breaker between equally good candidates."""

EVIDENCE_TEXT_LIMIT = 200

WORDS = detection_words()
"""The word lists of ``core/words.yaml``."""

GENERIC_ANCHOR_WORDS = frozenset(normalize(word) for word in WORDS.generic_anchor_words)
"""Words of a bare link ("Unduh", "Lihat Dokumen", "2023", "Download (1.2 MB)"): such a link
takes its meaning from its row, card or heading."""

NEWS_SEGMENTS = frozenset(WORDS.news_segments)
"""URL folders of news, galleries and blogs: a story about a document is not the document."""

SHARE_HOSTS = frozenset(WORDS.share_hosts)
"""Share buttons repeat the page's URL in their query; they publish nothing."""

ERROR_PAGE_PHRASES = tuple(normalize(phrase) for phrase in WORDS.error_page_phrases)
"""A title or H1 with one of these marks an error page served with status 200."""

TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ")


@dataclass(frozen=True)
class Target:
    """What a link points at and whether it is there."""

    kind: str
    state: str
    offsite: bool = False


@dataclass(frozen=True)
class Candidate:
    """One piece of evidence for one category."""

    category_id: str
    evidence_url: str
    evidence_text: str
    page_url: str | None
    rule: str
    strength: int
    kind: str
    state: str
    year: int | None
    period: Period | None


# ---------------------------------------------------------------- targets


def page_ok(page: Page) -> bool:
    """Fetched with a success status and not an error page dressed as one."""
    if not (200 <= page.status < 300 or page.status == 304):
        return False
    return not any(
        contains_phrase(normalize(text), phrase)
        for text in (page.title, page.h1)
        for phrase in ERROR_PAGE_PHRASES
    )


@lru_cache(maxsize=65536)
def _key(url: str) -> str:
    return normalize_url(url) or url


_document_kind = lru_cache(maxsize=65536)(document_kind)


class Targets:
    """Looks up a link's target among the crawl's verified documents and fetched pages."""

    def __init__(self, crawl: SiteCrawl):
        self.documents = {}
        for url, check in crawl.documents.items():
            self.documents[_key(url)] = check
            self.documents.setdefault(_key(check.url), check)
        self.pages: dict[str, Page] = {}
        self._resolved: dict[tuple, Target] = {}
        self.scope = SiteScope.of(crawl.start_url)
        for page in crawl.pages:
            for url in (page.url, page.final_url):
                if url:
                    self.pages.setdefault(_key(url), page)
            self.scope.add(page.url)

    def resolve(self, link: Link) -> Target:
        cache_key = (link.url, link.in_nav, is_download_link(link))
        if cache_key not in self._resolved:
            self._resolved[cache_key] = self._resolve(link)
        return self._resolved[cache_key]

    def _resolve(self, link: Link) -> Target:
        key = _key(link.url)
        check = self.documents.get(key)
        if check is not None:
            return Target(DOCUMENT, LIVE if check.ok else DEAD)
        page = self.pages.get(key)
        if page is not None:
            if not page_ok(page):
                # "Unduh" to /dokumen/140/unduh that answers 404: a dead document, not a page.
                return Target(DOCUMENT if is_download_link(link) else PAGE, DEAD)
            if page.document_view:  # a flipbook: the page is the document
                return Target(DOCUMENT, LIVE)
            return Target(PAGE, EMPTY if page.placeholder else LIVE)
        if _document_kind(link.url):
            return Target(DOCUMENT, UNVERIFIED, offsite=not self.scope.contains(link.url))
        if not self.scope.contains(link.url):
            return Target(PAGE, UNVERIFIED, offsite=True)
        # A page of this site that the crawl did not fetch OK: a menu entry to it is dead.
        return Target(PAGE, DEAD if link.in_nav else UNVERIFIED)


# ---------------------------------------------------------------- link evidence


def is_generic_anchor(text: str) -> bool:
    """A bare link: no words, or only download words and numbers ("Unduh", "2023", "1.2 MB")."""
    return all(token in GENERIC_ANCHOR_WORDS or token.isdigit() for token in normalize(text).split())


DOWNLOAD_WORDS = frozenset(WORDS.download_words)
"""Words of a link that downloads a file (``core/words.yaml``)."""


def is_download_link(link: Link) -> bool:
    """A link that says it downloads a file: "Unduh", "Download", or ``…/unduh`` URLs."""
    words = set(normalize(f"{link.text} {link.title}").split())
    segments = urlsplit(link.url).path.lower().rstrip("/").rsplit("/", 1)
    return bool(words & DOWNLOAD_WORDS) or segments[-1] in DOWNLOAD_WORDS


@lru_cache(maxsize=65536)
def is_news_or_share(url: str) -> bool:
    """A news/gallery/blog URL (not a document) or a share button: it publishes nothing."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() in SHARE_HOSTS:
        return True
    folders = [s.lower() for s in parts.path.split("/")[:-1] if s]
    return bool(NEWS_SEGMENTS.intersection(folders)) and not _document_kind(url)


def title_parts(title: str) -> list[str]:
    """"Struktur Organisasi | PPID Dinkes" → both parts, so the site name cannot veto a match."""
    parts = [title]
    for separator in TITLE_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_TEXT_LIMIT else text[: EVIDENCE_TEXT_LIMIT - 1] + "…"


def _rule(match: Match, where: str) -> str:
    return f"{match.kind}:{match.term}@{where}"


@lru_cache(maxsize=8)
def matcher_for(checklist: Checklist) -> Matcher:
    """One Matcher per checklist, shared by every site of a run (its memo then pays off)."""
    common = checklist.common_exclude
    return Matcher(
        {c.id: Terms(c.labels, c.abbreviations, c.url_hints, c.exclude + common) for c in checklist}
    )


class Detector:
    """The checklist's matcher and rules, applied to one crawl at a time."""

    def __init__(self, checklist: Checklist, today: date):
        self.checklist = checklist
        self.today = today
        self.matcher = matcher_for(checklist)

    # -- candidates ------------------------------------------------------------------

    def link_candidates(self, link: Link, page_url: str, targets: Targets) -> Iterator[Candidate]:
        if is_news_or_share(link.url):
            return
        target = targets.resolve(link)
        named = self._named_by_link(link, target)
        for category_id, (match, where, text) in named.items():
            category = self.checklist.get(category_id)
            if not self._target_counts(category, target):
                continue
            year, period = self._date(self._year_sources(link))
            yield Candidate(
                category_id=category_id,
                evidence_url=link.url,
                evidence_text=_shorten(text),
                page_url=page_url,
                rule=_rule(match, where),
                strength=STRENGTH[where],
                kind=target.kind,
                state=target.state,
                year=year,
                period=period,
            )

    def _named_by_link(self, link: Link, target: Target) -> dict[str, tuple[Match, str, str]]:
        """Category → (match, where, matched text), the strongest place first."""
        named: dict[str, tuple[Match, str, str]] = {}
        for where, text in (("anchor", link.text), ("title", link.title)):
            for category_id, match in self.matcher.in_text(text).items():
                named.setdefault(category_id, (match, where, text))
        names_itself = bool(named)
        last_only = target.kind == PAGE  # a page's folders are the site's menu, not its subject
        for category_id, match in self.matcher.in_url_segments(link.url, last_only).items():
            named.setdefault(category_id, (match, "url", file_name(link.url) or link.url))
        if names_itself or not self._takes_meaning_from_surroundings(link, target):
            return named
        # The row or card is more specific than the heading: the heading speaks only when the
        # row names nothing ("Jenis Informasi | Tahun | Unduh" under "Informasi Berkala").
        for where, text in (("context", link.context if link.context != link.text else ""),
                            ("heading", link.heading)):
            matches = self.matcher.in_text(text)
            for category_id, match in matches.items():
                named.setdefault(category_id, (match, where, text))
            if matches:
                break
        return named

    @staticmethod
    def _takes_meaning_from_surroundings(link: Link, target: Target) -> bool:
        """A link that names nothing is about its row or heading when it fetches a document,
        or is a bare "Unduh" to another site or to a dead page. A bare link to a live page of
        this site is judged by that page's own title instead."""
        if target.kind == DOCUMENT:
            return True
        return is_generic_anchor(link.text) and (target.offsite or target.state == DEAD)

    @staticmethod
    def _target_counts(category: Category, target: Target) -> bool:
        """Pages of this site are evidence for page categories; dead ones always (→ broken);
        a page that says it has no data yet never."""
        if target.state == EMPTY:
            return False
        if target.kind == DOCUMENT or target.offsite or target.state == DEAD:
            return True
        return category.page_evidence

    @staticmethod
    def _year_sources(link: Link) -> list[str]:
        """Where a link's year is read, in order: its own text, file name, row, heading."""
        return [f"{link.text} {link.title}", file_name(link.url), link.context, link.heading]

    def _date(self, sources: Iterable[str]) -> tuple[int | None, Period | None]:
        """The newest year of the first source that names one, and any semester named."""
        sources = list(sources)
        year = None
        for text in sources:
            year = newest_year(text, self.today)
            if year is not None:
                break
        period = None
        for text in sources:
            period = semester_period(text, self.today)
            if period is not None:
                break
        return year, period

    def page_candidates(self, page: Page) -> Iterator[Candidate]:
        """A fetched page that is itself a category page (page categories only)."""
        url = page.final_url or page.url
        if is_news_or_share(url) or page.placeholder:
            return
        found: dict[str, tuple[Match, str, str]] = {}
        places = [("page:title", part) for part in title_parts(page.title)] + [("page:h1", page.h1)]
        # A heading that is a link's text (a news card's title) is judged as that link.
        link_texts = {normalize(link.text) for link in page.links}
        places += [("page:heading", h) for h in page.headings if normalize(h) not in link_texts]
        for where, text in places:
            for category_id, match in self.matcher.in_text(text).items():
                found.setdefault(category_id, (match, where, text))
        for category_id, match in self.matcher.in_url_segments(url, last_only=True).items():
            found.setdefault(category_id, (match, "page:url", file_name(url) or url))
        for category_id, (_match, where, text) in found.items():
            if not self.checklist.get(category_id).page_evidence:
                continue
            year, period = self._date([f"{page.title} {page.h1}", " ".join(url_segments(url, True))])
            yield Candidate(category_id, url, _shorten(text), url, where, STRENGTH[where],
                            PAGE, LIVE, year, period)

    def candidates(self, crawl: SiteCrawl) -> dict[str, list[Candidate]]:
        """Every candidate of the crawl, per category, in crawl order (repeats dropped)."""
        targets = Targets(crawl)
        result: dict[str, list[Candidate]] = {c.id: [] for c in self.checklist}
        seen_links: set[tuple] = set()
        linked: set[str] = set()
        for page in crawl.pages:
            if not page_ok(page):
                continue
            for candidate in self.page_candidates(page):
                result[candidate.category_id].append(candidate)
            for link in page.links:
                signature = (link.url, link.text, link.title, link.context, link.heading, link.in_nav)
                if signature in seen_links:  # the same menu on every page
                    continue
                seen_links.add(signature)
                linked.add(_key(link.url))
                for candidate in self.link_candidates(link, page.final_url or page.url, targets):
                    result[candidate.category_id].append(candidate)
        for candidate in self.unlinked_document_candidates(crawl, linked):
            result[candidate.category_id].append(candidate)
        return result

    def unlinked_document_candidates(self, crawl: SiteCrawl, linked: set[str]) -> Iterator[Candidate]:
        """Documents the crawl verified without a page linking them (found in a sitemap):
        only their file name can name a category."""
        for url, check in crawl.documents.items():
            if _key(url) in linked or _key(check.url) in linked:
                continue
            for category_id, match in self.matcher.in_url_segments(url).items():
                name = file_name(url) or url
                year, period = self._date([name])
                yield Candidate(category_id, url, _shorten(name), None, _rule(match, "url"),
                                STRENGTH["document"], DOCUMENT, LIVE if check.ok else DEAD,
                                year, period)

    # -- verdicts --------------------------------------------------------------------

    def is_fresh(self, category: Category, candidate: Candidate) -> bool:
        return is_fresh(category.freshness, candidate.year, candidate.period, self.today)

    def verdict(self, category: Category, candidates: list[Candidate]) -> Finding:
        documents = [c for c in candidates if c.kind == DOCUMENT]
        if documents:
            # A category page is the container of its documents: when documents are linked,
            # they decide (a "SOP" page whose only SOP file is dead is broken, not found).
            candidates = documents
        live = [c for c in candidates if c.state != DEAD]
        if not live:
            if not candidates:
                return Finding(category_id=category.id, status=MISSING)
            best_dead = min(candidates, key=lambda c: (c.kind != DOCUMENT, c.strength))
            return _finding(category.id, BROKEN, best_dead)
        dated = [c for c in live if c.year is not None] if category.freshness != "none" else []
        pool = dated or live  # undated evidence decides only when nothing is dated
        best = max(
            pool,
            key=lambda c: (
                self.is_fresh(category, c),
                c.state == LIVE,
                c.kind == DOCUMENT,
                c.year or 0,
                -c.strength,
            ),
        )
        return _finding(category.id, FOUND if self.is_fresh(category, best) else STALE, best)


def is_fresh(freshness: str, year: int | None, period: Period | None, today: date) -> bool:
    """Whether evidence of this year (and half year) satisfies a freshness rule.

    * ``none``: always.
    * no year known: fresh — a dated document without a visible year is not proof of neglect.
    * ``annual``: year ≥ today.year − 1 (last year's report is due this year).
    * ``semester``: the period covered ends within the last 12 months, to the month. A
      "Semester I/II YEAR" period ends in June/December; a bare year counts as ending in June
      of that year, i.e. year ≥ today.year − 1 in January–June and year ≥ today.year from July.
    """
    if freshness == "none" or year is None:
        return True
    if freshness == "annual":
        return year >= today.year - 1
    covered = max(Period(year, 1), period) if period is not None else Period(year, 1)
    return covered.end_month >= today.year * 12 + today.month - 12


def _finding(category_id: str, status: str, candidate: Candidate) -> Finding:
    return Finding(
        category_id=category_id,
        status=status,
        evidence_url=candidate.evidence_url,
        evidence_text=candidate.evidence_text,
        page_url=candidate.page_url,
        document_year=candidate.year,
        matched_rule=candidate.rule,
    )


def detect_site(crawl: SiteCrawl, checklist: Checklist, today: date) -> list[Finding]:
    """One Finding per checklist category, in checklist order.

    All ``unreachable`` (no evidence) when the site could not be crawled: unknown is never
    counted as missing.
    """
    if not crawl.reachable:
        return [Finding(category_id=c.id, status=UNREACHABLE) for c in checklist]
    detector = Detector(checklist, today)
    candidates = detector.candidates(crawl)
    return [detector.verdict(category, candidates[category.id]) for category in checklist]
