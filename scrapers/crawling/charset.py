"""Decode an HTML body to text: header charset, then BOM, then ``<meta>``, then detection.

Many Indonesian government sites are old PHP/WordPress installs that serve windows-1252 or
ISO-8859-1 without saying so, or say ``utf-8`` in the header while the page is cp1252. The
order follows the WHATWG encoding-sniffing algorithm, with two practical deviations:
a declared charset that does not decode the body cleanly is distrusted, and labels that
browsers treat as windows-1252 (``iso-8859-1``, ``latin1``, ``us-ascii``) are decoded as such.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

META_SCAN_BYTES = 4096
"""A ``<meta charset>`` must appear this early (WHATWG scans the first 1024 bytes; some CMSs
put long scripts first, so we look a little further)."""

DETECT_SAMPLE_BYTES = 65536
"""Detection sees at most this much of the body; more costs time and rarely changes the answer."""

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252_ALIASES = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "l1",
    "us-ascii",
    "ascii",
    "cp819",
    "iso_8859-1",
}


def canonical_encoding(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset a Content-Type header names, canonicalised; None when it names none."""
    match = _HEADER_CHARSET.search(content_type or "")
    return canonical_encoding(match.group(1)) if match else None


def charset_from_bom(body: bytes) -> str | None:
    """The encoding a byte-order mark at the start of the body announces, or None."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def charset_from_meta(body: bytes) -> str | None:
    """The charset a ``<meta charset=…>`` or ``http-equiv`` Content-Type declares."""
    match = _META_CHARSET.search(body[:META_SCAN_BYTES])
    return canonical_encoding(match.group(1).decode("ascii", "replace")) if match else None


def detect_charset(body: bytes) -> str:
    """charset-normalizer's best guess; cp1252 when it has none (it decodes any byte)."""
    best = from_bytes(body[:DETECT_SAMPLE_BYTES]).best()
    return canonical_encoding(best.encoding if best else None) or "cp1252"


def _decodes_cleanly(body: bytes, encoding: str) -> bool:
    """True when the body decodes without error; a body cut at ``max_page_bytes`` may end in
    the middle of a character, which is not held against it."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(body, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def choose_encoding(body: bytes, content_type: str | None = None) -> str:
    """The encoding to decode this body with (see the module docstring for the order)."""
    bom = charset_from_bom(body)
    if bom:
        return bom
    for declared in (charset_from_content_type(content_type), charset_from_meta(body)):
        if declared and _decodes_cleanly(body, declared):
            return declared
    if _decodes_cleanly(body, "utf-8"):
        return "utf-8"
    return detect_charset(body)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The body as text. Never raises: undecodable bytes become U+FFFD."""
    encoding = choose_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
