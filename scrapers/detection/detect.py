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

Every rule ends in ``#how``: how the evidence was seen. ``html`` — in the page's HTML as
fetched plain; ``rendered`` — in the page as a headless browser rendered it; a link read
otherwise than from an ``<a href>`` adds its way (``html+embedded-json`` from inline JSON
state or a JSON list, ``html+script`` from an onclick button, ``html+embed`` from an iframe
viewer); ``sitemap`` — a document only the sitemap lists.

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
from scrapers.detection.doctypes import document_kind, image_kind
from scrapers.detection.hosts import HostRule, bundled_host_rules, host_rule_for
from scrapers.detection.match import (
    MEMO_SIZE,
    Match,
    Matcher,
    Terms,
    contains_phrase,
    file_name,
    normalize,
    url_segments,
)
from scrapers.detection.ownership import Owner, foreign_mention
from scrapers.detection.years import (
    Period,
    covered_until,
    is_current,
    newest_year,
    semester_period,
)
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
REJECTED = "rejected"
"""Another region's or agency's document: not this agency's publication (the note says why)."""
EMPTY = "empty"
"""A live page of this site that says it has no data yet: evidence of nothing."""

DOCUMENT = "document"
PAGE = "page"
IMAGE = "image"
"""A chart, poster or scan shown or linked: evidence only for ``image_evidence`` categories."""

STRENGTH = {
    "anchor": 0,
    "title": 1,
    "page:title": 2,
    "page:h1": 2,
    "url": 3,
    "firstpage": 4,
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

DEFINITION_VERBS = frozenset(WORDS.definition_verbs)
"""The verb of a definition: "Informasi serta merta adalah informasi yang …"."""
DEFINITION_SUBJECT_TOKENS = 12
"""A definition names its subject within this many words before the verb."""
DEFINITION_SUBJECT_WORDS = frozenset(WORDS.definition_subject_words)
"""Words of the subjects PPID pages define besides the categories' own labels."""
DEFINITION_MAX_CHARS = 450
"""A definition is a sentence or two; a longer text page (a procedure written out) is content."""
CONTENT_INTRODUCERS = frozenset(WORDS.content_introducers)
"""Words that introduce content after the verb ("Tata cara permohonan adalah sebagai berikut")."""


@dataclass(frozen=True)
class Target:
    """What a link points at and whether it is there."""

    kind: str
    state: str
    offsite: bool = False
    reason: str = ""
    """Why a dead target is dead (``http 404``, ``not public: leads to a log-in page``)."""
    first_page: str = ""
    """A document's first lines, when the crawler read them (its link said nothing)."""


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
    note: str = ""
    """Why the evidence is dead or rejected, when it is (recorded in the finding's rule)."""


# ---------------------------------------------------------------- targets


def page_ok(page: Page) -> bool:
    """Fetched with a success status, public, and not an error page dressed as one."""
    if not (200 <= page.status < 300 or page.status == 304) or page.not_public:
        return False
    return not any(
        contains_phrase(normalize(text), phrase)
        for text in (page.title, page.h1)
        for phrase in ERROR_PAGE_PHRASES
    )


@lru_cache(maxsize=MEMO_SIZE)
def _key(url: str) -> str:
    return normalize_url(url) or url


_document_kind = lru_cache(maxsize=MEMO_SIZE)(document_kind)


def dead_page_reason(page: Page) -> str:
    """Why a fetched page is a dead link, in the words of a document check."""
    if page.not_public:
        return page.not_public
    if page.status in (401, 403):
        return f"not public: http {page.status} (log-in required)"
    if page.status == 0 or not (200 <= page.status < 300 or page.status == 304):
        return page.error or f"http {page.status}"
    return "error page"


def defines_only(page: Page, matcher: Matcher) -> bool:
    """The page shows nothing but a definition of its subject ("Daftar Informasi Publik adalah
    catatan yang berisi …", "Yang dimaksud dengan informasi berkala adalah …"): a category
    page that publishes nothing. Only bare pages (text, no link, image or embed) qualify, and
    only when what is defined is a category or the PPID's information, so a profile page
    ("Dinas Kesehatan merupakan unsur pelaksana …") stays a profile."""
    if not page.lead or len(page.lead) > DEFINITION_MAX_CHARS:
        return False
    all_tokens = normalize(page.lead).split()
    if CONTENT_INTRODUCERS.intersection(all_tokens):
        return False
    tokens = all_tokens[: DEFINITION_SUBJECT_TOKENS + 1]
    verb = next((i for i, token in enumerate(tokens) if token in DEFINITION_VERBS), None)
    if not verb:
        return False
    subject = " ".join(tokens[:verb])
    return bool(DEFINITION_SUBJECT_WORDS.intersection(tokens[:verb])) or bool(matcher.in_text(subject))


class Targets:
    """Looks up a link's target among the crawl's verified documents and fetched pages."""

    def __init__(self, crawl: SiteCrawl, matcher: Matcher | None = None):
        self.matcher = matcher
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

    def publishes_nothing(self, page: Page) -> bool:
        """The page says it has nothing yet, is empty, or only defines its category."""
        return page.placeholder or (self.matcher is not None and defines_only(page, self.matcher))

    def resolve(self, link: Link) -> Target:
        cache_key = (link.url, link.in_nav, is_download_link(link))
        if cache_key not in self._resolved:
            self._resolved[cache_key] = self._resolve(link)
        return self._resolved[cache_key]

    def _resolve(self, link: Link) -> Target:
        key = _key(link.url)
        check = self.documents.get(key)
        if link.media == "image" or image_kind(link.url):
            # Images are not fetched (a page has dozens); a verified one tells its state.
            state = UNVERIFIED if check is None else (LIVE if check.ok else DEAD)
            return Target(IMAGE, state, offsite=not self.scope.contains(link.url),
                          reason=check.reason if check is not None else "")
        if check is not None:
            return Target(DOCUMENT, LIVE if check.ok else DEAD, reason=check.reason,
                          first_page=check.first_page, offsite=not self.scope.contains(link.url))
        page = self.pages.get(key)
        if page is not None:
            if not page_ok(page):
                # "Unduh" to /dokumen/140/unduh that answers 404: a dead document, not a page.
                return Target(DOCUMENT if is_download_link(link) else PAGE, DEAD,
                              reason=dead_page_reason(page))
            if page.document_view:  # a flipbook: the page is the document
                return Target(DOCUMENT, LIVE)
            return Target(PAGE, EMPTY if self.publishes_nothing(page) else LIVE)
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


@lru_cache(maxsize=MEMO_SIZE)
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


PLAIN = "html"
RENDERED = "rendered"
SITEMAP = "sitemap"


def page_seen(page: Page) -> str:
    """How a page was seen: ``rendered`` in a browser, else ``html`` (fetched plain)."""
    return RENDERED if page.rendered else PLAIN


def link_seen(seen: str, link: Link) -> str:
    """How a link was seen: its page's way, plus how the link itself was read when not as a
    plain ``<a href>`` (``html+embedded-json``, ``rendered+script``, ``html+embed``)."""
    ways = [way for way in (link.via, link.media) if way]
    return "+".join([seen, *ways])


def _rule(match: Match, where: str) -> str:
    return f"{match.kind}:{match.term}@{where}"


@lru_cache(maxsize=8)
def matcher_for(checklist: Checklist) -> Matcher:
    """One Matcher per checklist, shared by every site of a run (its memo then pays off)."""
    common = checklist.common_exclude
    return Matcher(
        {
            c.id: Terms(c.labels, c.abbreviations, c.url_hints, c.exclude + common, c.form_terms)
            for c in checklist
        }
    )


OTHER_BODIES_PUBLISHED = frozenset({"regulasi"})
"""Categories whose documents are often other bodies' (a ministry's regulation binds the
agency): only another region, not another agency, rejects them."""


class Detector:
    """The checklist's matcher and rules, applied to one crawl at a time."""

    def __init__(self, checklist: Checklist, today: date, owner: Owner | None = None,
                 hosts: tuple[HostRule, ...] | None = None):
        self.checklist = checklist
        self.today = today
        self.owner = owner
        self.hosts = bundled_host_rules() if hosts is None else hosts
        self.matcher = matcher_for(checklist)

    # -- candidates ------------------------------------------------------------------

    def link_candidates(self, link: Link, page_url: str, targets: Targets,
                        seen: str = PLAIN) -> Iterator[Candidate]:
        if is_news_or_share(link.url):
            return
        target = targets.resolve(link)
        named = self._named_by_link(link, target)
        how = link_seen(seen, link)
        if target.kind == IMAGE and not link.media:
            how += "+image"  # a link to an image file
        for category_id, (match, where, text) in named.items():
            category = self.checklist.get(category_id)
            if not self._target_counts(category, target):
                continue
            year, period = self._date(self._year_sources(link, target))
            foreign = self._foreign(link, category_id, target)
            yield Candidate(
                category_id=category_id,
                evidence_url=link.url,
                evidence_text=_shorten(text),
                page_url=page_url,
                rule=f"{_rule(match, where)}#{how}",
                strength=STRENGTH[where],
                kind=target.kind,
                state=REJECTED if foreign else target.state,
                year=year,
                period=period,
                note=foreign or (target.reason if target.state == DEAD else ""),
            )

    def _foreign(self, link: Link, category_id: str, target: Target) -> str | None:
        """Why the link's document is another body's (its text, title, file name, first page,
        and its row when the link itself is a bare "Unduh"), or None."""
        if self.owner is None:
            return None
        texts = [link.text, link.title, " ".join(url_segments(link.url, last_only=True)[:1]),
                 target.first_page]
        if is_generic_anchor(link.text):
            texts.append(link.context)
        return foreign_mention(texts, self.owner,
                               check_agency=category_id not in OTHER_BODIES_PUBLISHED)

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
        if not names_itself and target.offsite:
            rule = host_rule_for(link.url, self.hosts)
            for category_id in rule.publishes if rule else ():
                if category_id in self.checklist:  # SiRUP publishes procurement plans
                    named.setdefault(category_id, (Match("host", rule.name), "url", link.url))
        if names_itself or not self._takes_meaning_from_surroundings(link, target):
            return named
        if not named and target.first_page:
            # "Unduh" → dokumen-12.pdf: the document's own first page says what it is.
            for category_id, match in self.matcher.in_text(target.first_page).items():
                named.setdefault(category_id, (match, "firstpage", target.first_page))
            if named:
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
        if target.kind in (DOCUMENT, IMAGE):
            return True
        return is_generic_anchor(link.text) and (target.offsite or target.state == DEAD)

    @staticmethod
    def _target_counts(category: Category, target: Target) -> bool:
        """Pages of this site are evidence for page categories; dead ones always (→ broken);
        a page that says it has no data yet never."""
        if target.state == EMPTY:
            return False
        if target.kind == IMAGE:
            return category.image_evidence
        if target.kind == DOCUMENT or target.offsite or target.state == DEAD:
            return True
        return category.page_evidence

    @staticmethod
    def _year_sources(link: Link, target: Target | None = None) -> list[str]:
        """Where a link's year is read, in order: its own text, file name, the document's
        first page (when read), row, heading."""
        first_page = target.first_page if target is not None else ""
        return [f"{link.text} {link.title}", file_name(link.url), first_page, link.context,
                link.heading]

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
        if is_news_or_share(url) or page.placeholder or defines_only(page, self.matcher):
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
            yield Candidate(category_id, url, _shorten(text), url, f"{where}#{page_seen(page)}",
                            STRENGTH[where],
                            PAGE, LIVE, year, period)

    def candidates(self, crawl: SiteCrawl) -> dict[str, list[Candidate]]:
        """Every candidate of the crawl, per category, in crawl order (repeats dropped)."""
        targets = Targets(crawl, self.matcher)
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
                for candidate in self.link_candidates(link, page.final_url or page.url, targets,
                                                      page_seen(page)):
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
                yield Candidate(category_id, url, _shorten(name), None, f"{_rule(match, 'url')}#{SITEMAP}",
                                STRENGTH["document"], DOCUMENT, LIVE if check.ok else DEAD,
                                year, period, "" if check.ok else check.reason)

    # -- verdicts --------------------------------------------------------------------

    def is_fresh(self, category: Category, candidate: Candidate) -> bool:
        return is_fresh(category, candidate.year, candidate.period, self.today)

    def verdict(self, category: Category, candidates: list[Candidate]) -> Finding:
        rejected = [c for c in candidates if c.state == REJECTED]
        candidates = [c for c in candidates if c.state != REJECTED]
        if rejected and not candidates:
            return _finding(category.id, MISSING, min(rejected, key=lambda c: c.strength))
        documents = [c for c in candidates if c.kind in (DOCUMENT, IMAGE)]
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
                c.kind in (DOCUMENT, IMAGE),
                c.year or 0,
                -c.strength,
            ),
        )
        return _finding(category.id, FOUND if self.is_fresh(category, best) else STALE, best)


def is_fresh(category: Category, year: int | None, period: Period | None, today: date) -> bool:
    """Whether evidence of this year (and half year) satisfies the category's freshness rule.

    * ``none``: always.
    * no year known: fresh — a dated document without a visible year is not proof of neglect.
    * otherwise by period (:func:`scrapers.detection.years.is_current`): what the evidence
      covers must reach the end of the last reporting period already due, as the checklist's
      ``freshness_rules`` and the category's ``due_months`` define it.
    """
    if category.freshness == "none" or year is None:
        return True
    return is_current(covered_until(year, period), category.period_months, category.due_months, today)


def _finding(category_id: str, status: str, candidate: Candidate) -> Finding:
    return Finding(
        category_id=category_id,
        status=status,
        evidence_url=candidate.evidence_url,
        evidence_text=candidate.evidence_text,
        page_url=candidate.page_url,
        document_year=candidate.year,
        matched_rule=_rule_with_note(status, candidate),
    )


def _rule_with_note(status: str, candidate: Candidate) -> str:
    """The rule, and why the evidence did not count: ``…; broken: http 404`` or
    ``…; rejected: names another region (kabupaten malang)``."""
    if candidate.note and candidate.state == REJECTED:
        return f"{candidate.rule}; rejected: {candidate.note}"
    if candidate.note and status == BROKEN:
        return f"{candidate.rule}; broken: {candidate.note}"
    return candidate.rule


def detect_site(crawl: SiteCrawl, checklist: Checklist, today: date,
                owner: Owner | None = None, hosts: tuple[HostRule, ...] | None = None) -> list[Finding]:
    """One Finding per checklist category, in checklist order.

    All ``unreachable`` (no evidence) when the site could not be crawled: unknown is never
    counted as missing. ``owner`` (the registry's name, URL and role of the agency) lets
    another region's or agency's documents be rejected (:mod:`scrapers.detection.ownership`).
    ``hosts``: the off-site publication hosts (None: the bundled table).
    """
    if not crawl.reachable:
        return [Finding(category_id=c.id, status=UNREACHABLE) for c in checklist]
    detector = Detector(checklist, today, owner, hosts)
    candidates = detector.candidates(crawl)
    return [detector.verdict(category, candidates[category.id]) for category in checklist]
