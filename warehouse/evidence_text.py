"""A finding's evidence bundle as people read it (pure): the same lines on the dashboard and in
``pantau evidence``, so a reviewer and the OPD read the same thing.

The input is one row of the ``evidence_bundle`` named query; the output is (label, value)
pairs in Indonesian, every value plain text (crawled text is never markup: the caller shows
it as text). Times are in the display zone with the zone written (``core.formats``).
"""

from __future__ import annotations

from typing import Any

from core import formats
from core.vocabulary import STATUS_WORDS, run_word

CHAIN_LABEL = "Rantai URL"


def chain_lines(bundle: dict[str, Any]) -> list[str]:
    """The URL chain, numbered, the linking page and the end named:
    ``1. http://…/dokumen (halaman yang menautkan)``."""
    chain = bundle.get("evidence_chain")
    chain = [] if formats.unknown(chain) or chain is None else list(chain)
    if not chain:
        return []
    linked_from = bundle.get("page_url")
    lines = []
    for i, url in enumerate(chain, 1):
        note = ""
        if i == 1 and linked_from and url == linked_from and len(chain) > 1:
            note = " (halaman yang menautkan)"
        elif i == len(chain) and len(chain) > 1:
            note = " (alamat akhir)" if bundle.get("evidence_status_code") else " (berhenti di sini)"
        lines.append(f"{i}. {url}{note}")
    return lines


def hash_lines(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    """The evidence's SHA-256, and for a page also its HTML's (see migration 0015)."""
    sha256, body = bundle.get("evidence_sha256"), bundle.get("evidence_body_sha256")
    if not _known(body) or body == sha256:  # a document: its bytes are the evidence
        return [("SHA-256", hash_text(bundle, sha256))]
    return [("SHA-256 bukti", f"{sha256} (judul, subjudul dan tautan isi halaman seperti "
                              "dibaca Pantau; berubah bila isinya berubah)"),
            ("SHA-256 HTML", hash_text(bundle, body))]


def _known(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def hash_text(bundle: dict[str, Any], sha256: object = None) -> str:
    """A body's SHA-256 with what it covers: the whole body, or only its first bytes."""
    sha256 = bundle.get("evidence_sha256") if sha256 is None else sha256
    if not _known(sha256):
        return "— (tidak ada isi yang dihitung: jawaban galat, hanya header, atau halaman layanan luar)"
    covered = bundle.get("evidence_sha256_bytes")
    if formats.unknown(covered) or covered is None:
        return f"{sha256} (seluruh isi)"
    return (f"{sha256} (hanya {formats.number(covered, 0)} byte pertama: berkas diperiksa, "
            f"tidak diunduh utuh)")


def size_text(value: object) -> str:
    """``10.000 byte`` (``—`` when unknown)."""
    return formats.DASH if formats.unknown(value) else f"{formats.number(value, 0)} byte"


def describe(bundle: dict[str, Any], tz: str | None = None) -> list[tuple[str, str]]:
    """(label, value) lines of one bundle, in the order both the CLI and the dashboard show."""
    status = bundle.get("status")
    lines = [
        ("Badan publik", f"{formats.text(bundle.get('agency_name'))} ({bundle.get('agency_id')})"),
        ("Kategori", f"{formats.text(bundle.get('category_name'))} ({bundle.get('category_id')})"),
        ("Putaran", f"{run_word(int(bundle['run_id']))}, diperiksa "
                    f"{formats.moment(bundle.get('checked_at'), tz)}"),
        ("Status", STATUS_WORDS.get(status, formats.text(status))),
        ("Teks yang cocok", formats.text(bundle.get("evidence_text"))),
        ("Tahun dokumen", formats.text(_int_text(bundle.get("document_year")))),
        ("Alamat bukti", formats.text(bundle.get("evidence_url"))),
        ("Status HTTP", formats.text(_int_text(bundle.get("evidence_status_code")))),
        ("Jenis isi", formats.text(bundle.get("evidence_content_type"))),
        ("Ukuran", size_text(bundle.get("evidence_bytes"))),
        *hash_lines(bundle),
    ]
    if bundle.get("evidence_from_cache") is True:
        lines.append(("Pemeriksaan", "tidak berubah sejak putaran sebelumnya (server menjawab "
                                     "304, atau tidak ditanya ulang oleh pemantauan cerdas): "
                                     "status, ukuran dan sidik dari putaran yang terakhir "
                                     "membacanya"))
    shot = bundle.get("screenshot_path")
    if isinstance(shot, str) and shot:
        lines.append(("Tangkapan layar", f"{shot} (SHA-256 {bundle.get('screenshot_sha256')}), "
                                         f"diambil {formats.moment(bundle.get('screenshot_taken_at'), tz)} "
                                         f"oleh {bundle.get('screenshot_taken_by')}"))
    return lines


def _int_text(value: object) -> str | None:
    return None if formats.unknown(value) else str(int(value))
