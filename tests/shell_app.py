"""A client-rendered PPID app for tests: an empty ``<div id="__next">`` shell whose script
builds the page from a paginated JSON API, served by :class:`tests.loopback.LoopbackServer`.

What a browser sees (and a plain fetch does not): the heading "Informasi Berkala" and a table
of page 1 of ``/api/dokumen`` (three documents). Page 2 of the API (two more documents) is
only reachable by following its ``next_page_url``. The script also asks for an image, a path
robots.txt disallows, a script on another host and a POST, all of which the crawler refuses.
"""

from __future__ import annotations

import json

from tests.loopback import LoopbackServer, Reply, Request, html

SHELL = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>PPID Dinas Contoh</title>
<script src="/_next/static/chunks/app.js" defer></script></head>
<body><div id="__next"></div>
<noscript>Aktifkan JavaScript untuk membuka situs ini.</noscript></body></html>"""

APP_JS = """
(async function () {
  const root = document.getElementById('__next');
  const answer = await fetch('/api/dokumen?page=1', {headers: {'Accept': 'application/json'}});
  const list = await answer.json();
  const rows = list.data.map(d =>
    `<tr><td>${d.judul}</td><td>${d.tahun}</td><td><a href="${d.file}">Unduh</a></td></tr>`);
  root.innerHTML = '<nav><a href="/">Beranda</a> <a href="/profil">Profil</a></nav>' +
    '<h1>Informasi Berkala</h1><table><tr><th>Nama Informasi</th><th>Tahun</th><th></th></tr>' +
    rows.join('') + '</table><button>Berikutnya</button>';
  const img = new Image(); img.src = '/logo.png'; root.appendChild(img);
  fetch('/api/private/statistik').catch(() => {});
  fetch('/api/hit', {method: 'POST', body: 'x'}).catch(() => {});
  const s = document.createElement('script'); s.src = '__OTHER__/tracker.js';
  document.head.appendChild(s);
})();
"""

PAGES = {
    1: [("Laporan Keuangan", 2025, "/files/laporan-keuangan-2025.pdf"),
        ("Laporan Kinerja Instansi Pemerintah (LKjIP)", 2025, "/files/lkjip-2025.pdf"),
        ("Rencana Strategis 2021-2026", 2021, "/files/renstra-2021-2026.pdf")],
    2: [("Daftar Informasi Publik", 2025, "/files/dip-2025.pdf"),
        ("SK PPID", 2024, "/files/sk-ppid-2024.pdf")],
}
DOCUMENT_TITLES = [title for rows in PAGES.values() for title, _, _ in rows]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def api(request: Request) -> Reply:
    number = int(request.query.get("page", ["1"])[0])
    rows = PAGES.get(number, [])
    body = {
        "current_page": number,
        "last_page": len(PAGES),
        "data": [{"judul": t, "tahun": y, "file": f, "kategori": "Informasi Berkala"}
                 for t, y, f in rows],
        "next_page_url": f"/api/dokumen?page={number + 1}" if number < len(PAGES) else None,
    }
    return Reply(200, json.dumps(body), content_type="application/json")


def shell_app(other_origin: str = "http://127.0.0.2:9") -> LoopbackServer:
    """A started server with the app at ``/`` and ``/profil`` (both the same shell)."""
    routes = {
        "/": html(SHELL),
        "/profil": html(SHELL.replace("PPID Dinas Contoh", "Profil")),
        "/_next/static/chunks/app.js": Reply(
            200, APP_JS.replace("__OTHER__", other_origin), content_type="text/javascript"
        ),
        "/api/dokumen": api,
        "/api/private/statistik": Reply(200, "{}", content_type="application/json"),
        "/logo.png": Reply(200, b"\x89PNG\r\n", content_type="image/png"),
        "/robots.txt": Reply(200, "User-agent: *\nDisallow: /api/private/\n",
                             content_type="text/plain"),
        "/files/*": Reply(200, PDF, content_type="application/pdf"),
    }
    return LoopbackServer(routes)
