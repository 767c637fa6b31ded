"""(6) Rendering: what client-rendered sites cost, and that only they cost it.

The generated world of ``benchmarks.world`` is crawled twice by ``benchmarks.render_runner``
children, served by nginx (or the fallback server):

1. as generated: every site server-rendered (the plain crawl; no browser is started);
2. after a quarter of its sites were turned into client-rendered apps: each of their pages is
   the same empty shell (``<div id="__next"></div>`` + ``/_next/static/app.js``) and the script
   builds the page — menu, links, the document table — from ``/api/halaman/K.json``. Crawled
   with ``render: auto``, so only those shells are rendered, in one shared headless Chromium;
3. the same world with ``render: never``: the shell sites are then ``unreachable``.

Reported: pages/s with rendering against the plain crawl, peak memory of the crawler (RSS)
and of the browser (summed PSS of its processes), the share of sites rendered (it must be exactly the client-rendered quarter: rendering
only where it is needed), the documents found (rendering must find what the plain world
shows), and the seconds per server-rendered site in both runs (what rendering costs the
sites that do not need it).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Outcome, Row, median, ratio
from benchmarks.crawl import _load, run_child
from benchmarks.world import (
    DOC_TITLES,
    MENU,
    Site,
    World,
    WorldSpec,
    doc_path,
    generate,
    page_path,
    serve,
)

SHELL_SHARE = 4
"""Every SHELL_SHARE-th site is client-rendered (a quarter)."""
COMPLETENESS_TARGET = 1.0
"""The rendered world must show every document the plain world shows."""


@dataclass(frozen=True)
class RenderSize:
    world: WorldSpec = WorldSpec(sites=40, pages=20, documents=3)
    concurrency: int = 8


FULL = RenderSize()
QUICK = RenderSize(world=WorldSpec(sites=8, pages=8, documents=2), concurrency=4)
TINY = RenderSize(world=WorldSpec(sites=4, pages=3, documents=1), concurrency=2)

SHELL_HTML = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>PPID Perangkat Daerah {index}</title>
<link rel="preload" as="script" href="/_next/static/app.js">
<script src="/_next/static/app.js" defer></script></head>
<body><div id="__next"></div>
<noscript>Aktifkan JavaScript untuk membuka situs ini.</noscript></body></html>
"""

APP_JS = r"""
(async function () {
  const match = location.pathname.match(/halaman-(\d+)\.html$/);
  const page = await (await fetch('/api/halaman/' + (match ? match[1] : '0') + '.json')).json();
  const link = l => `<a href="${l.url}">${l.label}</a>`;
  const menu = page.menu.map(m => `<li class="menu-item">${link(m)}</li>`).join('');
  const posts = page.children.map(c => `<li class="post-item"><h3>${link(c)}</h3></li>`).join('');
  const rows = page.documents.map((d, i) =>
    `<tr><td>${i + 1}</td><td>${d.judul}</td><td>${d.tahun}</td>` +
    `<td><a href="${d.file}">Unduh PDF</a></td></tr>`).join('');
  document.title = page.title + ' | PPID';
  document.getElementById('__next').innerHTML =
    `<header><nav class="main-navigation"><ul class="menu">${menu}</ul></nav></header>` +
    `<main class="content"><h1>${page.title}</h1><ul class="posts">${posts}</ul>` +
    (rows ? `<table class="table"><tr><th>No</th><th>Jenis Informasi</th><th>Tahun</th>` +
            `<th>Unduh</th></tr>${rows}</table>` : '') + `</main>`;
})();
"""


def page_data(spec: WorldSpec, site: Site, k: int) -> dict:
    """What page ``k`` of a generated site shows, as the JSON its app reads."""
    menu = [{"label": MENU[i % len(MENU)], "url": page_path(i)}
            for i in range(1, min(spec.pages, len(MENU) + 1))]
    children = [{"label": f"Informasi {c}", "url": page_path(c)}
                for c in range(10 * k, 10 * k + 10) if 0 < c < spec.pages and c != k]
    documents = []
    if 1 <= k <= spec.documents:
        d = k - 1
        documents.append({"judul": DOC_TITLES[d % len(DOC_TITLES)], "tahun": 2020 + d % 6,
                          "file": doc_path(site.index, d)})
    title = "Beranda PPID" if k == 0 else f"Halaman Informasi {k}"
    return {"title": title, "menu": menu, "children": children, "documents": documents}


def make_client_rendered(world: World, site: Site) -> None:
    """Turn one generated site into a client-rendered app (same pages, same documents)."""
    spec = world.spec
    root = world.site_dir(site)
    (root / "_next" / "static").mkdir(parents=True, exist_ok=True)
    (root / "_next" / "static" / "app.js").write_text(APP_JS, encoding="utf-8")
    (root / "api" / "halaman").mkdir(parents=True, exist_ok=True)
    shell = SHELL_HTML.format(index=site.index)
    for k in range(spec.pages):
        name = "index.html" if k == 0 else page_path(k).lstrip("/")
        (root / name).write_text(shell, encoding="utf-8")
        (root / "api" / "halaman" / f"{k}.json").write_text(
            json.dumps(page_data(spec, site, k)), encoding="utf-8")


def shell_sites(world: World) -> list[Site]:
    return [s for s in world.sites if s.index % SHELL_SHARE == SHELL_SHARE - 1]


def run(size: RenderSize, workdir: Path, prefer_nginx: bool = True, log=print) -> Outcome:
    spec = size.world
    root = Path(tempfile.mkdtemp(prefix="pantau-bench-render-", dir=workdir))
    world = generate(spec, root)
    shells = shell_sites(world)
    shell_urls = {s.url for s in shells}
    conc = ("--concurrency", str(size.concurrency), "--max-pages", str(spec.pages))
    load_before = _load()
    try:
        with serve(world, prefer_nginx=prefer_nginx, log=log) as server:
            plain = run_child("benchmarks.render_runner", world, root / "plain.json", *conc)
            _log(log, "plain", plain)
            for site in shells:
                make_client_rendered(world, site)
            rendered = run_child("benchmarks.render_runner", world, root / "rendered.json", *conc)
            _log(log, "render: auto", rendered)
            never = run_child("benchmarks.render_runner", world, root / "never.json", *conc,
                              "--render", "never")
            _log(log, "render: never", never)
            kind = server.kind
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _outcome(spec, size, shell_urls, plain, rendered, never, kind, load_before)


def _log(log, name: str, r: dict) -> None:
    log(f"  {name}: {r['pages']} pages ({r['pages_rendered']} rendered) in {r['elapsed']:.1f} s = "
        f"{r['pages'] / r['elapsed']:.1f} pages/s; peak RSS {r['peak_rss_mb']:.0f} MB + browser "
        f"{r['browser_peak_rss_mb']:.0f} MB; {r['unreachable']} unreachable")


def _site_seconds(result: dict, urls: set[str], inside: bool) -> float:
    return median([s["seconds"] for s in result["sites"] if (s["url"] in urls) == inside])


def _outcome(spec: WorldSpec, size: RenderSize, shell_urls: set[str], plain: dict, rendered: dict,
             never: dict, kind: str, load_before: str) -> Outcome:
    def rate(r: dict) -> float:
        return r["pages"] / r["elapsed"]

    rendered_sites = {s["url"] for s in rendered["sites"] if s["rendered"]}
    only_where_needed = rendered_sites == shell_urls
    share = len(rendered_sites) / spec.sites
    plain_site_s = _site_seconds(plain, shell_urls, inside=False)
    mixed_site_s = _site_seconds(rendered, shell_urls, inside=False)
    shell_site_s = _site_seconds(rendered, shell_urls, inside=True)
    total_plain = plain["peak_rss_mb"] + plain["browser_peak_rss_mb"]
    total_rendered = rendered["peak_rss_mb"] + rendered["browser_peak_rss_mb"]
    out = Outcome("render")
    world = f"{spec.sites} sites × {spec.pages} pages, {len(shell_urls)} client-rendered"
    out.rows += [
        Row(f"(6) pages/s with rendering ({world}) vs the plain crawl",
            f"{rate(rendered):.1f}", f"{rate(plain):.1f} (all server-rendered)",
            ratio(rate(rendered), rate(plain)), "—", None),
        Row("(6) peak memory, crawler RSS + browser PSS, with rendering vs the plain crawl",
            f"{total_rendered:.0f} MB", f"{total_plain:.0f} MB", ratio(total_rendered, total_plain),
            "—", None),
        Row("(6) share of sites rendered (only the client-rendered ones)",
            f"{share:.0%} ({len(rendered_sites)}/{spec.sites})",
            f"{len(shell_urls) / spec.sites:.0%} client-rendered", "—", "exactly those",
            only_where_needed),
        Row("(6) documents found with rendering vs the plain world",
            f"{rendered['documents_ok']}", f"{plain['documents_ok']}",
            ratio(rendered["documents_ok"], plain["documents_ok"]), "= 1.0×",
            rendered["documents_ok"] >= COMPLETENESS_TARGET * plain["documents_ok"]),
    ]
    lines = [
        f"World: {world} (every {SHELL_SHARE}th site: each page the same empty "
        "`<div id=\"__next\">` shell, built by `/_next/static/app.js` from `/api/halaman/K.json`), "
        f"{spec.documents} PDFs per site, served by {kind}. Crawl: {size.concurrency} site threads, "
        "no delay, robots.txt obeyed, no sitemaps; one shared headless Chromium with "
        f"`render_pages` = {rendered['settings']['render_pages']} pages open at once. "
        f"Machine before the runs: {load_before}.",
        "",
        "| run | pages | rendered | documents ok | requests | unreachable | seconds | pages/s | "
        "crawler peak RSS MB | browser peak PSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in (("plain world", plain), ("¼ client-rendered, render: auto", rendered),
                    ("¼ client-rendered, render: never", never)):
        lines.append(f"| {name} | {r['pages']} | {r['pages_rendered']} | {r['documents_ok']} | "
                     f"{r['requests']} | {r['unreachable']} | {r['elapsed']:.1f} | {rate(r):.1f} | "
                     f"{r['peak_rss_mb']:.0f} | {r['browser_peak_rss_mb']:.0f} |")
    lines += [
        "",
        f"Median seconds per site: server-rendered sites {plain_site_s:.2f} s in the plain world "
        f"and {mixed_site_s:.2f} s beside the rendered ones; client-rendered sites "
        f"{shell_site_s:.2f} s. With `render: never` the {never['unreachable']} client-rendered "
        "sites are `unreachable` (\"needs a browser\"), not missing."
        + ("" if only_where_needed else
           f" **Rendered sites differ from the client-rendered ones:** {sorted(rendered_sites ^ shell_urls)[:5]}"),
    ]
    out.details = "\n".join(lines)
    out.raw = {"plain": plain, "rendered": rendered, "never": never,
               "seconds_per_site": {"plain": plain_site_s, "beside_rendered": mixed_site_s,
                                    "client_rendered": shell_site_s}}
    return out
