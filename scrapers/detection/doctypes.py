"""Document types by their look: which URLs, headers and first bytes are which kind of document.

Pure classification (no I/O), shared by detection (is this link a document?) and by the
crawler's document verification (do the bytes match what the link promised?).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

PDF = b"%PDF-"
ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RAR = b"Rar!\x1a\x07"

DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "odt", "ods", "odp", "csv"}
)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg"})
"""Images: a chart, poster or scan may be the publication itself (see ``image_evidence``)."""
OFFICE_KINDS = frozenset({"doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"})
DRIVE = "drive"
"""Kind of a link to a document host's viewer or download endpoint (Google Drive, Dropbox, OneDrive)."""

CONTENT_TYPE_KINDS = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.rar": "rar",
    "application/x-rar-compressed": "rar",
    "application/x-rar": "rar",
    "text/csv": "csv",
}

_DRIVE_PATTERNS = (
    re.compile(r"^(drive|docs)\.google\.com$"),
    re.compile(r"^drive\.usercontent\.google\.com$"),
    re.compile(r"^(www\.)?dropbox\.com$"),
    re.compile(r"^dl\.dropbox(usercontent)?\.com$"),
    re.compile(r"^onedrive\.live\.com$"),
    re.compile(r"^1drv\.ms$"),
    re.compile(r"^[\w-]+\.sharepoint\.com$"),
)
_DRIVE_PATHS = re.compile(
    r"^/(file/d/|uc$|open$|document/d/|spreadsheets/d/|presentation/d/|forms/d/|download|"
    r"s/|sh/|scl/fi/|scl/fo/|redir|embed|view|:[bwxpfu]:/|personal/)",
    re.IGNORECASE,
)
_FILENAME = re.compile(r"filename\*?\s*=\s*(?:[\w-]+'[\w-]*')?\"?([^\";]+)", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html|<!--)", re.IGNORECASE
)


def extension_kind(name: str) -> str | None:
    """``pdf``, ``docx`` … when a path or file name ends in a document extension."""
    tail = name.rsplit("/", 1)[-1].lower()
    if "." not in tail:
        return None
    ext = tail.rsplit(".", 1)[-1]
    return ext if ext in DOCUMENT_EXTENSIONS else None


# Google-Drive-style file links are specific enough to recognise on any host: mirrors,
# self-hosted drives and the sample world's document host use the same shape.
_DRIVE_FILE_PATH = re.compile(r"^/file/d/[\w-]{8,}(/(view|edit|preview))?/?$")


def is_drive_url(url: str) -> bool:
    """A file on a drive service (Google Drive, Dropbox, OneDrive, SharePoint): a document link."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _DRIVE_FILE_PATH.match(parts.path):
        return True
    if not any(p.match(host) for p in _DRIVE_PATTERNS):
        return False
    return host in {"1drv.ms", "dl.dropbox.com", "dl.dropboxusercontent.com"} or bool(
        _DRIVE_PATHS.match(parts.path)
    )


def image_kind(url: str) -> str | None:
    """``png``, ``jpg`` … when a URL's path ends in an image extension, else None."""
    tail = unquote(urlsplit(url).path).rsplit("/", 1)[-1].lower()
    if "." not in tail:
        return None
    ext = tail.rsplit(".", 1)[-1]
    return ext if ext in IMAGE_EXTENSIONS else None


def document_kind(url: str) -> str | None:
    """The kind of document a URL points to by its look alone, or None for a page.

    Recognises document extensions in the path (``/uploads/RKA-2024.PDF``), in a query value
    (``download.php?file=lapkeu.pdf``) and links to document hosts (:data:`DRIVE`).
    """
    parts = urlsplit(url)
    kind = extension_kind(unquote(parts.path))
    if kind:
        return kind
    if is_drive_url(url):
        return DRIVE
    for _, value in parse_qsl(parts.query):
        kind = extension_kind(unquote(value))
        if kind:
            return kind
    return None


def content_type_kind(
    content_type: str | None, content_disposition: str | None = None
) -> str | None:
    """The document kind an answer's headers announce (``/dokumen/123/unduh`` serving a PDF),
    or None when they announce a page or something we do not verify."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    kind = CONTENT_TYPE_KINDS.get(mime)
    if kind:
        return kind
    match = _FILENAME.search(content_disposition or "")
    if match:
        kind = extension_kind(unquote(match.group(1).strip()))
        if kind:
            return kind
    if mime in {
        "application/octet-stream",
        "binary/octet-stream",
        "application/force-download",
        "application/download",
    }:
        return "binary"
    return None


def looks_like_html(first_bytes: bytes) -> bool:
    """The first bytes are an HTML page (an error page served where a document was expected)."""
    return bool(_HTML_START.match(first_bytes[:512]))


def signature_matches(kind: str, first_bytes: bytes) -> bool | None:
    """Whether the bytes start like a ``kind`` file; None when the kind has no signature."""
    head = first_bytes.lstrip(b"\r\n\t \xef\xbb\xbf")
    if kind == "pdf":
        return head.startswith(PDF) or PDF in first_bytes[:1024]
    if kind in OFFICE_KINDS:
        # .doc files saved as .docx and the reverse are common and open fine: either Office
        # container is a real document.
        return head.startswith(ZIP) or head.startswith(OLE)
    if kind == "zip":
        return head.startswith(ZIP)
    if kind == "rar":
        return head.startswith(RAR)
    return None


# A log-in page: where a download that is not public leads.
_LOGIN_PATH = re.compile(
    r"/(login|log-in|signin|sign-in|masuk|auth|sso|wp-login\.php|servicelogin|accounts/login|"
    r"user/login|admin/login|member/login)(/|$|\?|\.)",
    re.IGNORECASE,
)
_LOGIN_QUERY = re.compile(r"[?&](redirect_to|return_?url|next|continue)=", re.IGNORECASE)
_PASSWORD_INPUT = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)


def is_login_url(url: str) -> bool:
    """A URL of a log-in page (``/login``, ``/wp-login.php``, ``/auth/…``, Google's
    ``ServiceLogin``): a download that ends there is not public."""
    parts = urlsplit(url)
    return bool(_LOGIN_PATH.search(parts.path + ("?" + parts.query if parts.query else "")))


def has_password_field(first_bytes: bytes) -> bool:
    """An HTML answer holding a password field: a log-in form, not the document."""
    return bool(_PASSWORD_INPUT.search(first_bytes))


def not_public_reason(status: int | None, final_url: str = "", first_bytes: bytes | None = None,
                      requested_url: str = "") -> str | None:
    """Why a download is not public (None when nothing says so): 401/403, or it ends on a
    log-in page (a redirect to ``/login``, a page with a password field)."""
    if status in (401, 403):
        return f"not public: http {status} (log-in required)"
    if final_url and final_url != requested_url and is_login_url(final_url):
        return f"not public: leads to a log-in page ({urlsplit(final_url).path})"
    if first_bytes and looks_like_html(first_bytes) and has_password_field(first_bytes):
        return "not public: answers with a log-in form"
    return None
