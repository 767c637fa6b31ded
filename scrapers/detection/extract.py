"""HTML → :class:`~scrapers.model.Page`: the title, headings and every link with the text around it.

Pure (no I/O) and one parse: lxml builds the tree once and a single start/end walk over it
tracks, for each link, the nearest heading above it, the block it sits in (table row, list item,
card, paragraph) and whether it is inside a menu. Detection later reads only these fields, so a
passing mention in body prose never reaches it (a long prose paragraph gives no context).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.etree

from core.words import detection_words
from scrapers.detection import shell  # shell uses this module's helpers: both import modules
from scrapers.detection.flipbook import is_flipbook_page
from scrapers.detection.inline_data import inline_content, is_state_holder
from scrapers.detection.scripted import scripted_targets
from scrapers.model import Link, Page

CONTEXT_LIMIT = 300
"""Characters of a link's block text kept as its context."""
HEADING_LIMIT = 200
"""Characters of a heading kept."""
MAX_HEADINGS = 300
"""Headings kept per page (a page with thousands is a listing, not a document)."""
CARD_TEXT_LIMIT = 1500
"""A 'card-ish' div or a table row with more text than this is layout (a page-wide table row,
a wrapper div), not one item's card or row."""

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption", "summary", "dt", "legend"})
HEADING_CLASS_RE = re.compile(
    r"panel-title|panel-heading|accordion-button|accordion-header|accordion-title|"
    r"elementor-tab-title|elementor-accordion-title|tab-title|card-title|card-header|widget-title|"
    r"toggle-title|collapse-title"
)
CARD_CLASS_RE = re.compile(r"card|item|post|entry|download|wpdm|document|attachment")
CONTAINER_CLASS_RE = re.compile(
    r"content|body|list|wrap|container|grid|row|items|posts|entries|area|section|footer|header"
)
NAV_ATTR_RE = re.compile(r"menu|nav")
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "code", "em", "font", "i", "mark", "q", "s", "small",
     "span", "strong", "sub", "sup", "time", "u", "var", "label"}
)
SKIP_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
SCOPED_HEADING_TAGS = frozenset({"nav", "header", "footer", "aside", "table", "dl", "details"})
"""A heading inside these applies only to links inside them: a menu's group titles or a table's
caption must not label the page content that follows."""
LANDMARK_TAGS = frozenset({"article", "main"})
BLOCK_TAGS = frozenset({"tr", "li", "p"})
CARD_TAGS = frozenset({"div", "article", "section"})
EMBED_ATTRS = {"iframe": "src", "embed": "src", "object": "data", "frame": "src", "area": "href"}
VIEWER_PARAMS = ("url", "file", "src")
"""Query parameters through which document viewers (Google Docs, Office, pdf.js) get the file."""
VIEWER_PATH_RE = re.compile(r"viewer|/view\.aspx|/pdfjs/|/preview\b|/pratinjau\b", re.I)
"""Paths of document viewers, whose ``?file=`` names the document a link really opens."""
DOCUMENT_EXT_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip|rar)$", re.I)
TOGGLE_ATTRS = ("data-bs-target", "data-target", "aria-controls", "data-tab-target")
DETAIL_TITLE_KEYS = frozenset(detection_words().detail_title_keys)
"""First cells of a key-value row whose value names the document (``Judul``, ``Tentang``)."""
COLUMN_NAMES = DETAIL_TITLE_KEYS | frozenset(detection_words().column_names)
"""Words of a table's header row ("Judul | Tahun"): not a title value."""
TOGGLE_XPATH = lxml.etree.XPath(
    "//*[@data-bs-target or @data-target or @aria-controls or @data-tab-target or @onclick]"
    " | //a[starts-with(@href, '#')]"
)
ID_XPATH = lxml.etree.XPath("//@id")
QUOTED_NAME_RE = re.compile(r"""["']#?([\w:.-]+)["']""")
"""A quoted name in an onclick handler: ``openTab(event, 'berkala')`` opens the pane ``#berkala``."""
_PARSERS = threading.local()
"""One parser per thread (an lxml parser must not be used by two threads at once)."""


def fold(text: str | None) -> str:
    """Collapse every run of whitespace (including NBSP) to one space and strip."""
    return " ".join(text.split()) if text else ""


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary so the kept text stays readable."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut or text[:limit]) + "…"


def element_text(el, skip_nested_lists: bool = False) -> str:
    """Visible text of an element; block children are separated by a space.

    ``skip_nested_lists`` drops sub-lists, so a menu item's context is its own label and not
    every entry of its submenu.
    """
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            skip = tag in SKIP_TEXT_TAGS or (skip_nested_lists and tag in ("ul", "ol"))
            if tag and not skip:
                if tag not in INLINE_TAGS:
                    parts.append(" ")
                if tag == "img" and child.get("alt"):
                    parts.append(child.get("alt"))
                walk(child)
                if tag not in INLINE_TAGS:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return fold("".join(parts))


def row_text(tr) -> str:
    """A table row as ``cell | cell | cell`` (the shape of a DIP table row)."""
    cells = [element_text(cell) for cell in tr if cell.tag in ("td", "th")]
    return " | ".join(cell for cell in cells if cell)


def is_layout_row(tr) -> bool:
    """A table row that lays out the page (menu cell beside content cell), not a data row:
    it holds a nested table or a heading."""
    return next(tr.iter("table", "h1", "h2", "h3", "h4", "h5", "h6"), None) is not None


def clean_url(raw: str, base: str) -> str | None:
    """The absolute http(s) URL of an href, without fragment; None for nothing to follow.

    Tabs and newlines inside an href are dropped and spaces escaped, as browsers do; pure
    fragment links (``#top``) and ``javascript:``/``mailto:``/``tel:``/``data:`` are skipped.
    """
    raw = raw.strip()
    if not raw or raw.startswith("#"):
        return None
    if "\t" in raw or "\n" in raw or "\r" in raw:
        raw = re.sub(r"[\t\r\n]", "", raw)
    raw = raw.replace(" ", "%20")
    absolute = _fast_join(base, raw)
    if absolute is None:
        try:
            absolute = urljoin(base, raw)
            scheme = urlsplit(absolute).scheme.lower()
        except ValueError:  # malformed (e.g. an unbalanced IPv6 bracket)
            return None
        if scheme not in ("http", "https"):
            return None
    return absolute.split("#", 1)[0]


def _fast_join(base: str, href: str) -> str | None:
    """urljoin for the two common shapes (absolute http URL, root-relative path), else None.

    urljoin is the costliest step of extraction; these shapes need no dot-segment handling.
    """
    if "./" in href:
        return None
    lowered = href[:8].lower()
    if lowered.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//"):
        scheme_end = base.find("://")
        if scheme_end < 0:
            return None
        host_end = base.find("/", scheme_end + 3)
        host_end = len(base) if host_end < 0 else host_end
        origin = base[:host_end]
        cut = min((i for i in (origin.find("?"), origin.find("#")) if i >= 0), default=len(origin))
        return origin[:cut] + href
    return None


def unwrap_viewer(url: str) -> str:
    """The document behind a viewer URL (``docs.google.com/viewer?url=X.pdf`` → ``X.pdf``)."""
    query = parse_qs(urlsplit(url).query)
    for name in VIEWER_PARAMS:
        for value in query.get(name, []):
            if DOCUMENT_EXT_RE.search(urlsplit(value).path):
                return clean_url(value, url) or url
    return url


def _is_heading(el, tag: str, classes: str) -> bool:
    if tag in HEADING_TAGS or el.get("role") == "heading":
        return True
    return bool(classes) and bool(HEADING_CLASS_RE.search(classes))


def _is_card(classes: str) -> bool:
    """A class token naming one item (``card``, ``post-item``), not a container (``card-body``)."""
    return bool(classes) and any(
        CARD_CLASS_RE.search(tok) and not CONTAINER_CLASS_RE.search(tok) for tok in classes.split()
    )


def _toggle_labels(root) -> dict[str, str]:
    """Tab and accordion titles by the id of the pane they open.

    Tab titles sit together above all the panes, so "the nearest heading above" a link in the
    third pane would wrongly be the last tab title; the pane's own title is used instead.
    """
    labels: dict[str, str] = {}
    scripted = []
    for el in TOGGLE_XPATH(root):
        if el.get("onclick") is not None:
            scripted.append(el)
        target = next((el.get(a) for a in TOGGLE_ATTRS if el.get(a)), None)
        href = el.get("href", "")
        if target is None and href.startswith("#") and len(href) > 1:
            toggle = el.get("data-toggle") or el.get("data-bs-toggle") or el.get("role") == "tab"
            if toggle or "tab" in el.get("class", "").lower():
                target = href
        if target:
            text = truncate(element_text(el), HEADING_LIMIT)
            for one in target.split():
                if text and one.lstrip("#") not in labels:
                    labels[one.lstrip("#")] = text
    if scripted:
        _script_toggle_labels(root, scripted, labels)
    return labels


def _script_toggle_labels(root, toggles: list, labels: dict[str, str]) -> None:
    """Tabs switched by a script (``<button onclick="openTab(event, 'berkala')">``): the
    button's text labels the element whose id the handler names."""
    ids = None
    for el in toggles:
        names = QUOTED_NAME_RE.findall(el.get("onclick") or "")
        if not names:
            continue
        if ids is None:
            ids = set(ID_XPATH(root))
        for name in names:
            if name in ids and name not in labels:
                text = truncate(element_text(el), HEADING_LIMIT)
                if text:
                    labels[name] = text


@dataclass
class _Frame:
    """What entering one element changed, so leaving it can undo it."""

    nav: bool = False
    block: object = None
    scoped_heading: bool = False
    saved_heading: str = ""
    landmark: bool = False
    table: bool = False


@dataclass
class _Walk:
    """Mutable state of the document walk."""

    base: str
    toggle_labels: dict[str, str]
    heading: str = ""
    nav_depth: int = 0
    landmark_depth: int = 0
    blocks: list = field(default_factory=list)
    """Open context blocks, innermost last: ``[tag, element, text or None until needed]``."""
    title: str = ""
    h1: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)
    state_holders: list = field(default_factory=list)
    """Inline scripts and elements with a ``data-page``-like attribute (see ``inline_data``)."""

    def enter(self, el, tag: str) -> None:
        """Open an element: note what it starts (menu, landmark, block, heading scope)."""
        classes = (el.get("class") or "").lower()
        ident = el.get("id") or ""
        is_landmark = tag in LANDMARK_TAGS
        is_nav = self._is_nav(el, tag, classes, ident)
        is_block = tag in BLOCK_TAGS or (tag in CARD_TAGS and _is_card(classes))
        pane_label = self.toggle_labels.get(ident) if ident else None
        scopes_heading = (
            tag in SCOPED_HEADING_TAGS or (is_block and tag != "tr" and tag != "p") or pane_label
        )
        if not (is_landmark or is_nav or is_block or scopes_heading):
            self.stack.append(None)  # the common case: nothing to undo on leaving
        else:
            frame = _Frame(nav=is_nav, landmark=is_landmark, table=tag == "table")
            self.landmark_depth += is_landmark
            self.nav_depth += is_nav
            if scopes_heading:
                frame.scoped_heading, frame.saved_heading = True, self.heading
                if pane_label:
                    self.heading = pane_label
            if is_block:
                frame.block = el
                self.blocks.append([tag, el, None])
            self.stack.append(frame)
        self._read(el, tag, classes)

    def leave(self) -> None:
        frame = self.stack.pop()
        if frame is None:
            return
        self.landmark_depth -= frame.landmark
        self.nav_depth -= frame.nav
        if frame.scoped_heading:
            self.heading = frame.saved_heading
        if frame.block is not None:
            self.blocks.pop()

    def _is_nav(self, el, tag: str, classes: str, ident: str) -> bool:
        if tag == "nav" or el.get("role") == "navigation":
            return True
        if tag == "header":
            return self.landmark_depth == 0  # an article's own header holds its title, not a menu
        return bool(
            (classes and NAV_ATTR_RE.search(classes)) or (ident and NAV_ATTR_RE.search(ident.lower()))
        )

    def _read(self, el, tag: str, classes: str) -> None:
        if tag == "title" and not self.title:
            self.title = truncate(fold("".join(el.itertext())), HEADING_LIMIT)
        if _is_heading(el, tag, classes):
            text = truncate(element_text(el), HEADING_LIMIT)
            if text:
                self.heading = text
                if tag == "h1" and not self.h1:
                    self.h1 = text
                if len(self.headings) < MAX_HEADINGS and (not self.headings or self.headings[-1] != text):
                    self.headings.append(text)
        if tag == "tr":
            self._detail_title_row(el)
        if tag == "a" and el.get("href") is not None:
            self._add_link(el, el.get("href"), self._anchor_text(el))
        elif tag in EMBED_ATTRS and el.get(EMBED_ATTRS[tag]):
            self._add_embed(el, tag)
        elif tag == "img" and self.nav_depth == 0:
            self._add_image(el)
        names = el.keys()
        if names:
            for raw, via in scripted_targets(el, tag, names):
                self._add_scripted(el, tag, raw, via)
        if (names or tag == "script") and is_state_holder(el, tag, names):
            self.state_holders.append(el)

    def _detail_title_row(self, tr) -> None:
        """A detail page's key-value row ``Judul | LKjIP 2024`` names the document the page is
        about: its value becomes the heading, also after the table (where the Unduh button is)."""
        cells = [cell for cell in tr if cell.tag in ("td", "th")]
        if not 2 <= len(cells) <= 3:
            return
        key = element_text(cells[0]).lower().rstrip(" :")
        if key not in DETAIL_TITLE_KEYS:
            return
        value = element_text(cells[-1]).lstrip(": ").strip()
        if len(value) < 4 or value.lower() in COLUMN_NAMES:
            return  # a header row ("Judul | Tahun"), not a value
        self.heading = truncate(value, HEADING_LIMIT)
        if len(self.headings) < MAX_HEADINGS:
            self.headings.append(self.heading)
        for frame in reversed(self.stack):
            if frame is not None and frame.scoped_heading:
                frame.saved_heading = self.heading
                if frame.table:
                    break

    @staticmethod
    def _anchor_text(el) -> str:
        text = element_text(el)
        if not text:
            text = fold(el.get("aria-label"))
        return truncate(text, HEADING_LIMIT)

    def _add_embed(self, el, tag: str) -> None:
        text = fold(el.get("alt") if tag == "area" else el.get("title") or el.get("name"))
        url = clean_url(el.get(EMBED_ATTRS[tag]), self.base)
        if url and tag != "area":
            url = unwrap_viewer(url)
        self._append(url, el, truncate(text, HEADING_LIMIT), "" if tag == "area" else "embed")

    def _add_scripted(self, el, tag: str, raw: str, via: str) -> None:
        """A target an onclick handler or a data attribute leads to (see ``scripted``)."""
        url = clean_url(raw, self.base)
        if url is None:
            return
        if via == "embed":
            url = unwrap_viewer(url)
            text = truncate(fold(el.get("title") or el.get("name")), HEADING_LIMIT)
        else:
            text = self._anchor_text(el)
        if self.links and self.links[-1].url == url and self.links[-1].text == text:
            return  # the same target as the element's own href
        self._append(url, el, text, via)

    def _add_image(self, el) -> None:
        """An image shown in the page's content (not a menu's logo, not a small icon, not the
        picture of a link, which that link carries): evidence by its alt text, caption,
        heading or file name for categories published as charts and posters."""
        if _inside_link(el) or _is_icon(el):
            return
        src = el.get("src") or el.get("data-src") or el.get("data-lazy-src") or ""
        url = clean_url(src, self.base)
        if not url:
            return
        caption = _figure_caption(el)
        self.links.append(
            Link(
                url=url,
                text=truncate(fold(el.get("alt")), HEADING_LIMIT),
                title=truncate(fold(el.get("title")), HEADING_LIMIT),
                context=truncate(caption, CONTEXT_LIMIT) if caption else self._context(),
                heading=self.heading,
                media="image",
            )
        )

    def _add_link(self, el, href: str, text: str) -> None:
        url = clean_url(href, self.base)
        if url and VIEWER_PATH_RE.search(url):
            url = unwrap_viewer(url)  # <a href="/pdfjs/web/viewer.html?file=/up/dip.pdf">
        self._append(url, el, text)

    def _append(self, url: str | None, el, text: str, via: str = "") -> None:
        if not url:
            return
        self.links.append(
            Link(
                url=url,
                text=text,
                title=truncate(fold(el.get("title")), HEADING_LIMIT),
                context=self._context(),
                heading=self.heading,
                in_nav=self.nav_depth > 0,
                via=via,
            )
        )

    def _context(self) -> str:
        """Text of the innermost row / list item / card; a paragraph only when short.

        A paragraph longer than the limit is prose, and prose is not evidence.
        """
        paragraph = None
        for block in reversed(self.blocks):
            if block[0] == "p":
                paragraph = paragraph or block
                continue
            if block[0] == "tr" and is_layout_row(block[1]):
                continue
            text = self._text_of(block)
            if block[0] != "li" and len(text) > CARD_TEXT_LIMIT:
                break  # a layout table row or a wrapper div, not one item's row or card
            return truncate(text, CONTEXT_LIMIT)
        if paragraph is not None:
            text = self._text_of(paragraph)
            return text if len(text) <= CONTEXT_LIMIT else ""
        return ""

    @staticmethod
    def _text_of(block: list) -> str:
        """The block's text, computed once however many links it holds."""
        if block[2] is None:
            tag, el = block[0], block[1]
            block[2] = row_text(el) if tag == "tr" else element_text(el, skip_nested_lists=(tag == "li"))
        return block[2]


ICON_MAX_PIXELS = 64
"""An image declared this small or smaller is an icon (a PDF symbol, a bullet), not a chart."""
FIGURE_DEPTH = 3
"""Levels above an image searched for its ``<figure>`` (a figure wraps a link or a div)."""


def _inside_link(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == "a":
            return True
        parent = parent.getparent()
    return False


def _is_icon(el) -> bool:
    for name in ("width", "height"):
        value = (el.get(name) or "").strip().lower().removesuffix("px")
        if value.isdigit() and int(value) <= ICON_MAX_PIXELS:
            return True
    return False


def _figure_caption(el) -> str:
    """The caption of the figure an image sits in (``<figcaption>``), else ""."""
    parent = el.getparent()
    for _ in range(FIGURE_DEPTH):
        if parent is None:
            return ""
        if parent.tag == "figure":
            caption = next(parent.iter("figcaption"), None)
            return element_text(caption) if caption is not None else ""
        parent = parent.getparent()
    return ""


def _html_parser() -> lxml.etree.HTMLParser:
    """Plain etree elements: lxml.html's element classes cost a lookup per node and add nothing."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)
    return parser


def parse_html(html: str | bytes):
    """The lxml root of a document, or None when there is nothing to parse.

    Bytes that are valid UTF-8 are decoded; other bytes go to lxml, which reads the meta charset.
    """
    if isinstance(html, bytes):
        try:
            html = html.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if not html.strip():
        return None
    if isinstance(html, str) and html.lstrip().startswith("<?xml"):
        # lxml refuses str input that carries an XML encoding declaration.
        html = html.encode("utf-8")
    try:
        root = lxml.etree.fromstring(html, _html_parser())
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    return root


def base_url(root, url: str) -> str:
    """The page URL, or the document's ``<base href>`` resolved against it."""
    for base in root.iter("base"):
        href = base.get("href")
        if href and href.strip():
            joined = clean_url(href, url)
            if joined:
                return joined
    return url


def extract_page(url: str, html: str | bytes, depth: int = 0) -> Page:
    """Parse one HTML page into a Page: title, first H1, headings and links with context.

    ``status`` is 200 and ``final_url`` is ``url``; the crawler overwrites the fetch fields.
    """
    size = len(html.encode("utf-8", "replace")) if isinstance(html, str) else len(html)
    page = Page(url=url, status=200, final_url=url, depth=depth, bytes=size)
    root = parse_html(html)
    if root is None:
        return page
    walk = _Walk(base=base_url(root, url), toggle_labels=_toggle_labels(root))
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        if event == "start":
            walk.enter(el, tag.lower())
        else:
            walk.leave()
    page.title, page.h1, page.headings, page.links = walk.title, walk.h1, walk.headings, walk.links
    inline = inline_content(root, walk.base, walk.state_holders)
    page.links += inline.links
    for heading in inline.headings:
        if len(page.headings) < MAX_HEADINGS and heading not in page.headings:
            page.headings.append(heading)
    page.document_view = is_flipbook_page(url, html, page.links)
    lead = None if inline.links else bare_content(root)  # inline JSON lists are content too
    page.placeholder = is_placeholder(root, html) or (
        lead is not None and len(_WORD_RE.findall(lead)) <= EMPTY_MAX_WORDS
    )
    page.lead = truncate(lead, LEAD_LIMIT) if lead else ""
    page.generator = fold(" ".join(GENERATOR_XPATH(root)))[:100]
    page.shell = shell.shell_reason(root, html, page.links)
    if page.shell:
        page.api_urls = shell.api_endpoints(root, html, walk.base)
    return page


GENERATOR_XPATH = lxml.etree.XPath("//meta[@name='generator']/@content")


PLACEHOLDER_PHRASES = detection_words().placeholder_phrases
"""A category page that only says it has nothing yet publishes nothing (``core/words.yaml``)."""
PLACEHOLDER_MAX_CHARS = 400
"""Content text (menus, header, footer left out) longer than this is a real page that merely
has an empty row somewhere."""
EMPTY_MAX_WORDS = 1
"""A page whose content, headings aside, holds no link, image or embed and no more words than
this shows nothing ("Struktur Organisasi" above an empty box, or above "-")."""
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
LEAD_LIMIT = 700
"""Characters of a bare page's content text kept as its lead: enough for detection to see a
page that only defines its category ("Informasi serta merta adalah …"), short enough that a
real text page (a profile, a maklumat written out) is not mistaken for one."""
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript",
                         "template", "svg", "form", "select"})
CHROME_ATTR_RE = re.compile(r"menu|nav|sidebar|footer|header|widget|breadcrumb|cookie")
CHROME_TOKEN_RE = re.compile(
    r"^(menu|nav|navbar|navigation|sidebar|footer|breadcrumbs?|cookie\S*|site-header|topbar)$|"
    r"^(main|site|top|primary|mobile)-(menu|nav|navigation)$|-(menu|nav|sidebar|breadcrumbs?)$"
)
"""Class or id tokens of page chrome for the emptiness test; stricter than CHROME_ATTR_RE,
whose substring match would take page builders' ``elementor-widget-container`` for chrome."""
MEDIA_TAGS = frozenset({"img", "iframe", "embed", "object", "video", "audio", "canvas", "picture",
                        "frame", "area", "input", "button", "select", "textarea"})
"""Content that shows or does something besides text: a page with one is not empty."""


def is_placeholder(root, html: str | bytes) -> bool:
    """The page's content, without menus and page chrome, is short and says there is no data.

    The cheap substring test runs first, so ordinary pages cost nothing more."""
    raw = html.lower() if isinstance(html, str) else html.decode("utf-8", "ignore").lower()
    if not any(phrase in raw for phrase in PLACEHOLDER_PHRASES):
        return False
    body = root.find(".//body")
    text = fold(" ".join(_content_texts(body if body is not None else root))).lower()
    return len(text) <= PLACEHOLDER_MAX_CHARS and any(p in text for p in PLACEHOLDER_PHRASES)


def _content_texts(el) -> Iterator[str]:
    """Text of an element without its chrome: menus, header, footer, sidebars, scripts, forms."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    marks = f"{el.get('class', '')} {el.get('id', '')}".lower() if tag else ""
    if tag in CHROME_TAGS or (tag and CHROME_ATTR_RE.search(marks)):
        yield el.tail or ""
        return
    if tag:
        yield el.text or ""
        for child in el:
            yield from _content_texts(child)
    yield el.tail or ""


def bare_content(root) -> str | None:
    """The text of a page's content (chrome and headings left out) when the content holds no
    link, image, embed or form control; None when it holds any (it then shows something).

    Pure text pages are rare on PPID sites: they are profiles written out, or a category page
    that defines its category and shows nothing else."""
    body = root.find(".//body")
    parts: list[str] = []
    if not _bare_texts(body if body is not None else root, parts):
        return None
    return fold(" ".join(parts))


def _bare_texts(el, parts: list[str]) -> bool:
    """Collect ``el``'s content text into ``parts``; False as soon as it shows something."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag:
        return True
    if tag in MEDIA_TAGS or tag == "form":
        return False  # before the chrome test: an online form is the page's content
    if tag in CHROME_TAGS or tag in SKIP_TEXT_TAGS:
        return True
    marks = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if marks.strip() and any(CHROME_TOKEN_RE.search(token) for token in marks.split()):
        return True
    if tag == "a":
        href = (el.get("href") or "").strip().lower()
        if href and not href.startswith(("#", "javascript:")):
            return False
    heading = tag in HEADING_TAGS
    if el.text and not heading:
        parts.append(el.text)
    for child in el:
        if not heading and not _bare_texts(child, parts):
            return False
        if child.tail:
            parts.append(child.tail)
    return True
