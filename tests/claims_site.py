"""A small loopback PPID site for the declared-evidence tests: its pages do not link the
archive where the LHKPN is, so the crawl alone finds it missing; a declaration points at it.

Routes (all on one LoopbackServer): ``/`` (home: Profil, Maklumat), ``/profil``, ``/maklumat``,
``/arsip/dokumen`` (unlinked: lists the LHKPN document), ``/arsip/lhkpn-<year>.pdf``,
``/arsip/scan-001.pdf`` (unlinked: a performance report whose name says nothing),
``/berita/lama`` (unlinked: a page about nothing of the checklist), ``/rahasia/lhkpn``
(disallowed by robots.txt), anything else 404.
"""

from __future__ import annotations

from sample_world.render import make_pdf
from tests.conftest import TODAY
from tests.loopback import LoopbackServer, Reply, html

YEAR = TODAY.year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def site() -> LoopbackServer:
    """The site, started (close it after the test)."""
    page = "<html><head><title>{title} | PPID Dinas Contoh</title></head><body>{body}</body></html>"
    routes = {
        "/robots.txt": Reply(200, "User-agent: *\nDisallow: /rahasia/\n", content_type="text/plain"),
        "/": html(page.format(title="Beranda", body=(
            "<nav><a href='/profil'>Profil PPID</a> <a href='/maklumat'>Maklumat Pelayanan</a></nav>"
            "<h1>PPID Dinas Contoh</h1>"))),
        "/profil": html(page.format(title="Profil PPID", body="<h1>Profil PPID</h1><p>Visi misi.</p>")),
        "/maklumat": html(page.format(title="Maklumat Pelayanan", body="<h1>Maklumat Pelayanan</h1>")),
        "/arsip/dokumen": html(page.format(title="Arsip Dokumen", body=(
            "<h1>Arsip Dokumen</h1><table><tr><td>Laporan Harta Kekayaan Penyelenggara Negara "
            f"(LHKPN) Tahun {YEAR}</td><td><a href='/arsip/lhkpn-{YEAR}.pdf'>Unduh</a></td></tr>"
            "</table>"))),
        f"/arsip/lhkpn-{YEAR}.pdf": Reply(200, PDF, content_type="application/pdf"),
        "/arsip/scan-001.pdf": Reply(200, make_pdf(
            f"LAPORAN KINERJA INSTANSI PEMERINTAH\nDINAS CONTOH KOTA UJI\nTAHUN {YEAR}\n"),
            content_type="application/pdf"),
        "/berita/lama": html(page.format(title="Kegiatan Senam Pagi",
                                         body="<h1>Kegiatan Senam Pagi</h1><p>Senam bersama.</p>")),
        "/rahasia/lhkpn": html(page.format(title="LHKPN", body="<h1>LHKPN</h1>")),
    }
    return LoopbackServer(routes)


def registry(path, server: LoopbackServer):
    """A one-agency registry (the PPID Utama) whose site is ``server``."""
    path.write_text("agencies:\n"
                    f"  - {{id: contoh, name: Dinas Contoh Kota Uji, url: '{server.url('/')}',"
                    " email: ppid@contoh.test, role: utama, parent: ''}\n", encoding="utf-8")
    return path
