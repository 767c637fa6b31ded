"""What a PDF's first page says, for documents whose link text and file name say nothing
(``<a href="/uploads/dokumen-12.pdf">Unduh</a>``): its first lines are the title and year (pure).

The crawler reads the first ``document_title_bytes`` of such a PDF (I/O, one ranged GET that
also verifies it); this module turns those bytes into text. A PDF read whole goes through pypdf
(fonts, encodings, compressed streams). A PDF cut at the budget has no cross-reference table
yet (it sits at the end), so pypdf cannot open it: then the first page's content stream is
read directly from the prefix (inflated if compressed) and its text-showing operators give
the strings. Either way, only the first lines are kept: that is where a title stands.
"""

from __future__ import annotations

import io
import logging
import re
import zlib

from core.words import detection_words
from scrapers.detection.match import normalize, url_segments

TITLE_LINES = 6
"""Lines at the top of the first page kept as its title (title, agency, year)."""
TITLE_LIMIT = 300
"""Characters of the first page kept."""
MAX_INFLATED = 200_000
"""Bytes a compressed content stream may inflate to (a zip bomb stops here)."""

NOTHING_WORDS = frozenset(normalize(word) for word in detection_words().filename_nothing_words)
"""Words of a file name that name nothing (``dokumen-12.pdf``, ``scan_0001.pdf``)."""

_HASHLIKE = re.compile(r"^(?=.*\d)[0-9a-z]{6,}$")
_TEXT_OPS = re.compile(rb"\((?:\\.|[^\\)])*\)\s*(?:Tj|'|\")|\[(?:[^\]]*)\]\s*TJ|T\*|Td|TD|ET")
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def file_name_says_nothing(url: str) -> bool:
    """The file name holds no word: digits, hashes, a timestamp, or only words like
    "dokumen", "scan", "file" (``dokumen-12.pdf``, ``a8f3e2c1d4.pdf``, ``1706012345.pdf``)."""
    segments = url_segments(url, last_only=True)
    words = segments[0].split() if segments else []
    return all(w.isdigit() or w in NOTHING_WORDS or _HASHLIKE.match(w) or len(w) <= 2 for w in words)


def first_page_title(data: bytes, complete: bool) -> str:
    """The first lines of a PDF's first page, or "" when they cannot be read.

    ``complete`` says the bytes are the whole file (else a prefix cut at the budget)."""
    if not data.lstrip().startswith(b"%PDF"):
        return ""
    text = _pypdf_text(data) if complete else ""
    if not text:
        text = _prefix_text(data)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return " ".join([line for line in lines if line][:TITLE_LINES])[:TITLE_LIMIT]


def _pypdf_text(data: bytes) -> str:
    """The first page's text through pypdf; "" on any failure (a broken PDF is not an error
    of the crawl)."""
    import pypdf  # imported when needed: most crawls read no PDF

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if not reader.pages:
            return ""
        return reader.pages[0].extract_text() or ""
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on hostile files
        return ""


def _prefix_text(data: bytes) -> str:
    """Text shown by the first content stream found in a PDF prefix (literal strings only)."""
    for stream in _streams(data):
        lines = _shown_lines(stream)
        if any(line.strip() for line in lines):
            return "\n".join(lines)
    return ""


def _streams(data: bytes):
    """Each ``stream … endstream`` body of the prefix, inflated when it is compressed."""
    position = 0
    while True:
        start = data.find(b"stream", position)
        if start < 0:
            return
        body_start = start + len(b"stream")
        if data[body_start:body_start + 2] == b"\r\n":
            body_start += 2
        elif data[body_start:body_start + 1] in (b"\n", b"\r"):
            body_start += 1
        else:
            position = body_start
            continue
        end = data.find(b"endstream", body_start)
        raw = data[body_start:end if end >= 0 else len(data)]
        header = data[max(0, start - 300):start]
        if b"/FlateDecode" in header:
            try:
                raw = zlib.decompressobj().decompress(raw, MAX_INFLATED)
            except zlib.error:
                raw = b""
        elif b"/Filter" in header:
            raw = b""  # another filter (an image): no text to read
        yield raw
        if end < 0:
            return
        position = end + len(b"endstream")


def _shown_lines(stream: bytes) -> list[str]:
    """Strings of ``Tj``/``TJ``/``'`` operators, a new line at each line move."""
    lines: list[str] = [""]
    for match in _TEXT_OPS.finditer(stream):
        token = match.group(0)
        if token in (b"T*", b"Td", b"TD", b"ET") or token.endswith((b"'", b'"')):
            lines.append("")
        if token.endswith(b"Tj") or token.endswith((b"'", b'"')) or token.endswith(b"TJ"):
            shown = "".join(_decode(lit) for lit in _LITERAL.findall(token))
            lines[-1] = f"{lines[-1]} {shown}" if lines[-1] else shown
    return [line for line in lines if line.strip()]


def _decode(literal: bytes) -> str:
    body = literal[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index:index + 1]
        if char == b"\\" and index + 1 < len(body):
            nxt = body[index + 1:index + 2]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                index += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", body[index + 1:index + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                index += 1 + len(octal.group(0))
                continue
            out += nxt
            index += 2
            continue
        out += char
        index += 1
    return out.decode("cp1252", errors="replace")
