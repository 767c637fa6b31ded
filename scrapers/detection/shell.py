"""Is this HTML the page, or only the shell a script fills in? Pure functions over a parsed page.

A client-rendered app (Next.js, Nuxt, SvelteKit, Vue, React, Angular) sends an almost empty
document: an app root (``<div id="__next">``, ``<div id="app">``, ``<div id="root">`` …),
script bundles, perhaps a ``<noscript>`` asking for JavaScript, and no content links. Its lists
arrive later from a JSON API. Such a page is a *shell*: what a person sees in a browser is not
in the HTML, so the crawler renders it (``scrapers.crawling.render``) or reads the JSON it calls.

:func:`shell_reason` says why a page is a shell ("" when it is not): little visible text and
few content links, together with at least one sign that scripts build the page; where the
page has an app root, the root itself must be empty. A server-rendered Next.js page (a
``__next`` root holding a menu, a heading or links, however short) is not a shell. A page
of its own that holds an empty data table (header cells, no rows) and a script — DataTables
filled by AJAX — is *partly* scripted (:data:`PARTIAL`): rendering shows its rows, but without
a browser the rest of the page can still be read.
:func:`api_endpoints` lists the JSON endpoints a shell names in its own HTML and inline
scripts (``fetch("/api/dokumen?kategori=berkala")``), which can be read without a browser.
"""

from __future__ import annotations

import re

from scrapers.detection import extract  # extract_page calls this module: used at call time
from scrapers.model import Link

MAX_SHELL_TEXT = 300
"""A page whose visible body text (scripts, styles and ``<noscript>`` left out) is longer than
this has content of its own: it is not a shell."""
MAX_SHELL_LINKS = 3
"""A page with more links outside its menus than this lists something already."""
MAX_ROOT_TEXT = 40
"""An app root with more text than this (or any link) was rendered on the server."""
APP_ROOT_IDS = frozenset({
    "__next", "__nuxt", "__layout", "app", "root", "svelte", "___gatsby", "q-app", "main-app",
    "react-root", "vue-app", "application",
})
"""Element ids that frameworks (Next.js, Nuxt, SvelteKit, Vue CLI/Vite, CRA, Gatsby, Quasar) mount into."""
APP_ROOT_TAGS = frozenset({"app-root"})
"""Custom elements Angular apps mount into."""
FRAMEWORK_MARKERS = (
    ("/_next/static/", "Next.js bundles"),
    ("__NEXT_DATA__", "Next.js data"),
    ("/_nuxt/", "Nuxt bundles"),
    ("window.__NUXT__", "Nuxt state"),
    ("/_app/immutable/", "SvelteKit bundles"),
    ("data-sveltekit", "SvelteKit markup"),
    ("ng-version", "Angular markup"),
    ("data-reactroot", "React markup"),
    ("data-v-app", "Vue markup"),
    ("/static/js/main.", "Create React App bundle"),
)
"""Substrings of the raw HTML that name the framework; (marker, what it means)."""
NOSCRIPT_RE = re.compile(
    r"(enable|aktifkan|izinkan|nyalakan)\s+javascript|javascript\s+(is\s+)?(required|needed|disabled)"
    r"|(membutuhkan|memerlukan|perlu)\s+javascript",
    re.IGNORECASE,
)
ENDPOINT_RE = re.compile(
    r"""["'`]((?:https?://[^"'`\s<>]+?)?/(?:api|wp-json|graphql|data)/[^"'`\s<>]*|[^"'`\s<>]+?\.json(?:\?[^"'`\s<>]*)?)["'`]""",
    re.IGNORECASE,
)
"""A quoted path or URL under ``/api/``, ``/wp-json/``, ``/data/`` …, or ending in ``.json``."""
NOT_ENDPOINTS = re.compile(r"manifest\.json|/_next/|/_nuxt/|/_app/|\.map$|schema\.org|/oembed", re.I)
"""JSON files that are build artefacts or metadata, not lists."""
MAX_ENDPOINTS = 10
PARTIAL = "empty table filled by a script"
"""The start of the reason of a page that has content of its own besides a scripted table."""


def shell_reason(root, html: str | bytes, links: list[Link]) -> str:
    """Why this page is an empty shell filled in by scripts, or "" when it is not.

    ``root`` is the lxml root of ``html``; ``links`` the links extraction found on it
    (including any it read from embedded JSON: a page whose data is inline is not empty).
    """
    if root is None:
        return ""
    partial = _scripted_table(root)
    content_links = [link for link in links if not link.in_nav]
    if len(content_links) > MAX_SHELL_LINKS:
        return partial
    body = root.find(".//body")
    text = extract.element_text(body if body is not None else root)
    if len(text) > MAX_SHELL_TEXT:
        return partial
    app_root = _app_root(root)
    if app_root is not None and _server_rendered(app_root):
        return partial
    signs = script_signs(root, html)
    if not signs:
        return partial
    return f"{', '.join(signs)}; {len(text)} characters of text, {len(content_links)} content links"


def _server_rendered(app_root) -> bool:
    """The app root already holds the page: links, or more than a loading message."""
    if next(app_root.iter("a"), None) is not None:
        return True
    return len(extract.element_text(app_root)) > MAX_ROOT_TEXT


def _scripted_table(root) -> str:
    """:data:`PARTIAL` when a table has header cells but no data cell and a script is on the
    page (the rows come from an AJAX source), else ""."""
    if next(root.iter("script"), None) is None:
        return ""
    for table in root.iter("table"):
        if next(table.iter("td"), None) is None and len(list(table.iter("th"))) >= 2:
            ident = table.get("id") or table.get("class") or "table"
            return f"{PARTIAL} ({extract.truncate(ident, 60)})"
    return ""


def script_signs(root, html: str | bytes) -> list[str]:
    """The signs that scripts build this page: an app root, framework markers, a
    ``<noscript>`` asking for JavaScript, or script bundles and nothing to follow."""
    raw = html if isinstance(html, str) else html.decode("utf-8", "ignore")
    signs: list[str] = []
    app_root = _app_root(root)
    if app_root is not None:
        signs.append(f"app root {_describe(app_root)}")
    signs += [meaning for marker, meaning in FRAMEWORK_MARKERS if marker in raw]
    if any(NOSCRIPT_RE.search(extract.element_text(el) or (el.text or "")) for el in root.iter("noscript")):
        signs.append("noscript asks for JavaScript")
    if not signs and _has_script_bundle(root) and not any(True for _ in root.iter("a")):
        signs.append("script bundles and no links")
    return list(dict.fromkeys(signs))


def _app_root(root):
    """The first element a framework mounts into, or None."""
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in APP_ROOT_TAGS:
            return el
        ident = el.get("id") if tag else None
        if ident and ident.lower() in APP_ROOT_IDS:
            return el
    return None


def _describe(el) -> str:
    return f"<{el.tag}>" if el.tag in APP_ROOT_TAGS else f"{el.tag}#{el.get('id')}"


def _has_script_bundle(root) -> bool:
    return any(el.get("src") for el in root.iter("script"))


def api_endpoints(root, html: str | bytes, base: str) -> list[str]:
    """Absolute URLs of the JSON endpoints the page names in its HTML or inline scripts,
    first seen first (at most :data:`MAX_ENDPOINTS`): lists a crawler can read without a browser."""
    if root is None:
        return []
    texts = [el.text or "" for el in root.iter("script") if not el.get("src")]
    texts += [value for el in root.iter() if isinstance(el.tag, str)
              for name, value in el.attrib.items() if name.startswith("data-")]
    found: list[str] = []
    for text in texts:
        for match in ENDPOINT_RE.finditer(text):
            candidate = match.group(1)
            if NOT_ENDPOINTS.search(candidate) or "${" in candidate:
                continue
            url = extract.clean_url(candidate, base)
            if url and url not in found:
                found.append(url)
            if len(found) >= MAX_ENDPOINTS:
                return found
    return found
