"""Turning the sample world's template files into the bytes a site serves.

Site files are templates so that their labels stay true in any year: ``{{YEAR}}``,
``{{YEAR-1}}``, ``{{YEAR+1}}`` … become years relative to the world's ``today``;
``{{BASE}}`` is the serving site's own origin, ``{{SITE:dinkes}}`` another site's origin and
``{{DRIVE}}`` the outside document host's origin (their ports are only known at start).

Documents are shipped as short text and made into real files when served: a ``.pdf`` text
becomes a one-page PDF, a ``.docx``/``.xlsx`` text a minimal Office Open XML zip. A file that
already starts with ``%PDF`` is served as it is, an empty one as an empty body, and a ``.pdf``
whose text is HTML stays HTML (a soft-404 "PDF").
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape

PLACEHOLDER = re.compile(r"\{\{\s*([A-Z]+)(?:([+-])(\d+)|:([a-z0-9-]+))?\s*\}\}")

TEXT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ico": "image/x-icon",
}

# A zip entry's timestamp is part of its bytes; fixing it keeps ETags stable between renders.
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)


class TemplateError(ValueError):
    """A sample page template is broken; the message names it."""

    pass


def substitute(text: str, year: int, origins: Mapping[str, str]) -> str:
    """Replace every ``{{…}}`` placeholder; an unknown one is an error, not left in place."""

    def replace(match: re.Match) -> str:
        name, sign, number, site = match.groups()
        if name == "YEAR":
            offset = int(number or 0) * (-1 if sign == "-" else 1)
            return str(year + offset)
        if name == "SITE" and site:
            key = f"site:{site}"
        elif sign is None and site is None:
            key = name.lower()
        else:
            key = ""
        if key not in origins:
            raise TemplateError(f"unknown placeholder {match.group(0)}")
        return origins[key]

    return PLACEHOLDER.sub(replace, text)


def content_type_for(suffix: str) -> str:
    """The Content-Type a sample file is served with, by its suffix."""
    suffix = suffix.lower()
    for table in (TEXT_TYPES, DOCUMENT_TYPES, BINARY_TYPES):
        if suffix in table:
            return table[suffix]
    return "application/octet-stream"


def looks_like_html(raw: bytes) -> bool:
    """The file is an HTML page (served as text/html)."""
    head = raw.lstrip()[:15].lower()
    return head.startswith(b"<!doctype html") or head.startswith(b"<html")


def _pdf_string(text: str) -> str:
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return "(" + encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(text: str) -> bytes:
    """A valid one-page PDF 1.4 (Helvetica, WinAnsi) showing ``text`` line by line."""
    lines = text.strip("\n").splitlines() or [""]
    title = lines[0].strip()
    shown = "".join(f"{_pdf_string(line)} '\n" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 50 800 Td\n{shown}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Title {_pdf_string(title)} /Producer (Pantau PPID sample world) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIMESTAMP), body.encode("utf-8"))
    return buffer.getvalue()


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _content_types(overrides: dict[str, str]) -> str:
    items = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
    return (
        f'{_XML}<Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def _relationships(rels: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{_DOC_RELS}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(rels, start=1)
    )
    return f'{_XML}<Relationships xmlns="{_PKG_RELS}">{items}</Relationships>'


def make_docx(text: str) -> bytes:
    """A minimal Word document with one paragraph per line."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in text.strip("\n").splitlines()
    )
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        {
            "[Content_Types].xml": _content_types({"/word/document.xml": main}),
            "_rels/.rels": _relationships([("officeDocument", "word/document.xml")]),
            "word/document.xml": (
                f'{_XML}<w:document xmlns:w="http://schemas.openxmlformats.org/'
                f'wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>'
            ),
        }
    )


def _sheet_row(number: int, line: str) -> str:
    cells = "".join(
        f'<c t="inlineStr"><is><t xml:space="preserve">{escape(cell.strip())}</t></is></c>'
        for cell in line.split("|")
    )
    return f'<row r="{number}">{cells}</row>'


def make_xlsx(text: str) -> bytes:
    """A minimal workbook: one sheet, one row per line, cells split on ``|``."""
    rows = "".join(_sheet_row(i, line) for i, line in enumerate(text.strip("\n").splitlines(), 1))
    spreadsheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                {
                    "/xl/workbook.xml": f"{ml}.sheet.main+xml",
                    "/xl/worksheets/sheet1.xml": f"{ml}.worksheet+xml",
                }
            ),
            "_rels/.rels": _relationships([("officeDocument", "xl/workbook.xml")]),
            "xl/workbook.xml": (
                f'{_XML}<workbook xmlns="{spreadsheet}" xmlns:r="{_DOC_RELS}"><sheets>'
                '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": _relationships([("worksheet", "worksheets/sheet1.xml")]),
            "xl/worksheets/sheet1.xml": (
                f'{_XML}<worksheet xmlns="{spreadsheet}"><sheetData>{rows}</sheetData></worksheet>'
            ),
        }
    )


DOCUMENT_MAKERS = {".pdf": make_pdf, ".docx": make_docx, ".xlsx": make_xlsx}


def render_file(
    raw: bytes, suffix: str, encoding: str, year: int, origins: Mapping[str, str]
) -> tuple[bytes, str]:
    """The served body and its media type (without charset) for one site file."""
    suffix = suffix.lower()
    if suffix in TEXT_TYPES:
        text = substitute(raw.decode(encoding), year, origins)
        return text.encode(encoding), TEXT_TYPES[suffix]
    if suffix in DOCUMENT_TYPES:
        if not raw or raw.startswith(b"%PDF") or raw.startswith(b"PK\x03\x04"):
            return raw, DOCUMENT_TYPES[suffix]
        text = substitute(raw.decode("utf-8"), year, origins)
        if looks_like_html(raw):
            return text.encode("utf-8"), "text/html"
        return DOCUMENT_MAKERS[suffix](text), DOCUMENT_TYPES[suffix]
    return raw, content_type_for(suffix)
