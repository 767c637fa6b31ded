"""A small PPID site on loopback whose behaviour tests change between runs: a document
that answers 503 once, a new template over the same documents, a document removed for real,
403 to everything, or the whole site down."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.loopback import LoopbackServer, Reply, Request, html

PDF_BODY = b"%PDF-1.4\n" + b"0" * 3000
DOCUMENTS = {
    "dip": "Daftar Informasi Publik (DIP) 2026",
    "struktur": "Struktur Organisasi PPID",
    "sop": "SOP Pelayanan Informasi Publik",
    "maklumat": "Maklumat Pelayanan Informasi Publik",
    "lkjip": "Laporan Kinerja (LKjIP) 2025",
    "keuangan": "Laporan Realisasi Anggaran 2025",
}
FOUND = ("dip", "struktur_organisasi", "sop_ppid", "maklumat", "kinerja", "laporan_keuangan",
         "sk_ppid")
"""The categories the detector finds on the first template."""

OLD_HOME = ("<html><head><meta name='generator' content='WordPress 6.4'><title>PPID Dinas</title>"
            "</head><body><nav><a href='/ppid'>PPID</a></nav><h1>Dinas Contoh</h1></body></html>")
NEW_HOME = ("<html><head><title>PPID Dinas</title></head><body><div id='app' "
            "data-page='/storage/app/ppid'></div><script src='/build/app.js'></script>"
            "<a href='/livewire/ppid'>PPID</a></body></html>")


@dataclass
class TrustSite:
    """The site's behaviour, changed by the test between runs."""

    template: str = "old"
    """``old`` (WordPress, a table of documents) or ``new`` (an app shell: the same files stay
    on the server, but no crawlable page links them)."""
    removed: set[str] = field(default_factory=set)
    """Documents deleted: 404, and their row left out of the table."""
    flaky: dict[str, int] = field(default_factory=dict)
    """Path → how many more requests answer 503 before it recovers."""
    forbid_all: bool = False
    bodies: dict[str, bytes] = field(default_factory=dict)
    """Document key → another body than ``PDF_BODY`` (a document replaced at the same URL)."""
    server: LoopbackServer | None = None

    def __enter__(self) -> TrustSite:
        self.server = LoopbackServer({"/*": self._reply})
        return self

    def __exit__(self, *exc) -> None:
        self.server.close()

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    def down(self) -> str:
        """Stop serving (connections refused from now on); returns the dead start URL."""
        self.server.close()
        return self.server.url("/")

    def document_url(self, key: str) -> str:
        return self.url(f"/files/{key}.pdf")

    def _reply(self, request: Request) -> Reply:
        path = request.path_only
        if self.forbid_all:
            return html("<h1>403 Forbidden</h1>", status=403)
        if self.flaky.get(path, 0) > 0:
            self.flaky[path] -= 1
            return html("<h1>503 Service Unavailable</h1>", status=503)
        if path == "/robots.txt":
            return Reply(404, "", content_type="text/plain")
        if path == "/":
            return html(OLD_HOME if self.template == "old" else NEW_HOME)
        if path == "/ppid" and self.template == "old":
            return html(self._table())
        if path.startswith("/files/") and path.endswith(".pdf"):
            key = path[len("/files/"):-4]
            if key in self.removed:
                return html("<h1>Not Found</h1>", status=404)
            return Reply(200, self.bodies.get(key, PDF_BODY), content_type="application/pdf")
        return html("<h1>Not Found</h1>", status=404)

    def _table(self) -> str:
        rows = "".join(f"<tr><td>{title}</td><td><a href='/files/{key}.pdf'>Unduh</a></td></tr>"
                       for key, title in DOCUMENTS.items() if key not in self.removed)
        return ("<html><head><title>Informasi Publik</title></head><body><h1>Informasi Publik"
                "</h1><table><tr><th>Jenis Informasi</th><th>Unduh</th></tr>"
                f"{rows}</table></body></html>")
