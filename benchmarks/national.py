"""(9) A national run, simulated: the real ``crawl_all`` flow over thousands of small PPID sites.

One nginx serves every site. Site ``i`` has its own loopback address (``127.100.X.Y``, so
every site is its own host for the crawler's per-host limits and for the batching by host)
and all share one port: nginx listens on the port for every address (``allow 127.0.0.0/8;
deny all``) and picks the site's content and behaviour from the address the connection came
to (``map $server_addr``). Sites are a realistic mix: most are small PPID sites (a home page,
three pages, two PDFs) in five content variants that publish different categories, and the
rest answer 500 on every page, 403 to everything (a WAF), redirect their home page, have
broken pages and documents, or refuse connections (their registry URL names a port where
nothing listens): unreachable is data, not an error.

For each size (1,000, 10,000 and 30,000 agencies at full size) ``national_runner`` runs the
real ``flows.crawl.crawl_all`` in a child process against a real ``prefect server`` process
(``PrefectServer``: the flow's process holds Prefect's client only, as a work pool's run does),
with the Dask task runner on a real ``dask scheduler`` and two ``dask worker`` processes started here
(``schedule.task_runner: dask://…``), and reports the wall time, agencies per second, the
peak RSS of the flow process and of each worker, and the DuckDB write (the commit of the
staged run). At 1,000 agencies the same work also runs without Prefect (the same batches
through ``flows.crawl.check_agencies.fn`` on a thread pool, streamed into the same staging
file): the flow's overhead against that is the Prefect overhead figure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, Outcome, Row, cores_busy
from benchmarks.world import find_nginx

ORDINARY = 14
"""Of every 20 sites, 14 are ordinary PPID sites (5 content variants)."""
MIX = ("e500", "waf", "refused", "broken", "moved", "nodocs")
"""The other six of every 20: 500 everywhere, 403 to everything, no listener, broken pages
and documents, home page moved (301), documents missing (404)."""
RSS_TARGET_MB = 200.0
OVERHEAD_TARGET = 0.10
WRITE_TARGET_S = 2.0


@dataclass(frozen=True)
class Size:
    sizes: tuple[int, ...] = (1_000, 10_000, 30_000)
    overhead_agencies: int = 1_000
    workers: int = 2
    threads_per_worker: int = 4


FULL = Size()
QUICK = Size(sizes=(200, 1_000), overhead_agencies=200)
TINY = Size(sizes=(40,), overhead_agencies=40, workers=2, threads_per_worker=2)


def address_of(i: int) -> str:
    """Site ``i``'s loopback address (up to 62,500 sites)."""
    return f"127.100.{i // 250 + 1}.{i % 250 + 1}"


def kind_of(i: int) -> str:
    """What site ``i`` is: an ordinary variant ``v0``…``v4`` or one of ``MIX``."""
    slot = i % 20
    return f"v{slot % 5}" if slot < ORDINARY else MIX[slot - ORDINARY]


CATEGORY_DOCS = (
    ("Laporan Keuangan", "laporan-keuangan"), ("Laporan Kinerja Instansi Pemerintah (LKjIP)", "lkjip"),
    ("Rencana Strategis", "renstra"), ("Daftar Informasi Publik", "dip"), ("SK PPID", "sk-ppid"),
    ("Laporan Layanan Informasi Publik", "laporan-layanan"), ("Rencana Kerja", "renja"),
    ("Standar Operasional Prosedur Pelayanan Informasi", "sop-ppid"),
    ("Daftar Informasi yang Dikecualikan", "dikecualikan"), ("Profil Pejabat", "profil-pejabat"),
)


def _page(title: str, body: str) -> str:
    menu = "".join(f'<li><a href="/informasi/{p}.html">{t}</a></li>' for p, t in (
        ("berkala", "Informasi Berkala"), ("serta-merta", "Informasi Serta Merta"),
        ("setiap-saat", "Informasi Setiap Saat")))
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title} | PPID'
            f'</title></head><body><header><nav><ul class="menu"><li><a href="/">Beranda</a></li>'
            f'{menu}</ul></nav></header><main><h1>{title}</h1>{body}</main>'
            '<footer>PPID Perangkat Daerah</footer></body></html>')


def _docs_table(docs: list[tuple[str, str]], year: int, missing: bool = False) -> str:
    rows = "".join(
        f"<tr><td>{n}</td><td>{title} Tahun {year}</td><td>{year}</td>"
        f'<td><a href="/dokumen/{slug}-{year}.pdf">Unduh</a></td></tr>'
        for n, (title, slug) in enumerate(docs, 1))
    return ("<table><thead><tr><th>No</th><th>Jenis Informasi</th><th>Tahun</th><th>Unduh</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def write_variant(root: Path, k: int, year: int, *, broken: bool = False,
                  no_docs: bool = False) -> None:
    """One content variant: ``/``, three pages, PDFs (which categories differ by ``k``)."""
    docs = [CATEGORY_DOCS[(k + j) % len(CATEGORY_DOCS)] for j in range(2 + k % 3)]
    (root / "informasi").mkdir(parents=True, exist_ok=True)
    (root / "dokumen").mkdir(exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
    (root / "index.html").write_text(_page("Beranda PPID", (
        "<p>Selamat datang di laman Pejabat Pengelola Informasi dan Dokumentasi.</p>"
        '<p><a href="/informasi/berkala.html">Informasi Berkala</a> · '
        '<a href="/informasi/setiap-saat.html">Informasi Setiap Saat</a></p>')), encoding="utf-8")
    (root / "informasi" / "berkala.html").write_text(_page(
        "Informasi Berkala", "<p>Informasi yang wajib disediakan dan diumumkan secara berkala.</p>"
        + _docs_table(docs[: len(docs) // 2 + 1], year)), encoding="utf-8")
    (root / "informasi" / "setiap-saat.html").write_text(_page(
        "Informasi Setiap Saat", "<p>Informasi yang wajib tersedia setiap saat.</p>"
        + _docs_table(docs[len(docs) // 2 + 1:], year)), encoding="utf-8")
    if not broken:  # a broken site's third page is a 404
        (root / "informasi" / "serta-merta.html").write_text(_page(
            "Informasi Serta Merta", "<p>Belum ada informasi serta merta.</p>"), encoding="utf-8")
    pdf = _pdf(6 * 1024)
    for n, (_, slug) in enumerate(docs):
        if no_docs or (broken and n == 0):
            continue
        (root / "dokumen" / f"{slug}-{year}.pdf").write_bytes(pdf)


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"\n%%EOF"


@dataclass
class NationalWorld:
    """The sites of one run: their addresses and kinds, the content and nginx's config."""

    root: Path
    count: int
    port: int

    def url(self, i: int) -> str:
        port = self.port + 1 if kind_of(i) == "refused" else self.port
        return f"http://{address_of(i)}:{port}/"

    def write_registry(self, path: Path, count: int | None = None) -> Path:
        """A registry of the first ``count`` sites (a PPID Utama every 50, OPDs under it)."""
        lines = ["agencies:"]
        for i in range(count or self.count):
            utama = i % 50 == 0
            parent = f"a{i - i % 50:05d}"
            lines.append(
                f"  - {{id: a{i:05d}, name: 'PPID Perangkat Daerah {i}', url: '{self.url(i)}', "
                f"email: 'ppid{i}@daerah.go.id', role: {'utama' if utama else 'pelaksana'}"
                + ("" if utama else f", parent: {parent}") + "}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def generate(root: Path, count: int) -> NationalWorld:
    """The variants' content and nginx's maps for ``count`` sites on one free port."""
    root.mkdir(parents=True, exist_ok=True)
    year = time.localtime().tm_year - 1
    for k in range(5):
        write_variant(root / "variants" / f"v{k}", k, year)
    write_variant(root / "variants" / "broken", 1, year, broken=True)
    write_variant(root / "variants" / "nodocs", 2, year, no_docs=True)
    moved = root / "variants" / "moved"
    write_variant(moved / "ppid", 3, year)
    os.chmod(root, 0o755)
    return NationalWorld(root, count, _free_port_pair())


def _free_port_pair() -> int:
    """A port free on every loopback address whose next port is free too (refused sites)."""
    for _ in range(50):
        with socket.socket() as a, socket.socket() as b:
            a.bind(("0.0.0.0", 0))
            port = a.getsockname()[1]
            try:
                b.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair")


class NationalNginx:
    """nginx for a ``NationalWorld`` (child process, stopped on exit)."""

    def __init__(self, world: NationalWorld, binary: str, workers: int = 1) -> None:
        self.world, self.binary, self.workers = world, binary, workers
        self.prefix = world.root / "nginx"
        self.process: subprocess.Popen | None = None

    def config(self) -> str:
        p, v = self.prefix, self.world.root / "variants"
        entries = "\n".join(f"        {address_of(i)} {kind_of(i)};"
                            for i in range(self.world.count) if kind_of(i) != "refused")
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return f"""{user}worker_processes {self.workers};
pid {p}/nginx.pid;
error_log {p}/error.log crit;
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; application/pdf pdf; text/plain txt; }}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    sendfile on;
    keepalive_requests 100000;
    etag on;
    index index.html;
    map_hash_max_size 131072;
    map_hash_bucket_size 128;
    map $server_addr $kind {{
        default none;
{entries}
    }}
    map $kind $content {{
        default {v}/v0; v1 {v}/v1; v2 {v}/v2; v3 {v}/v3; v4 {v}/v4;
        broken {v}/broken; nodocs {v}/nodocs; moved {v}/moved;
    }}
    server {{
        listen 0.0.0.0:{self.world.port};
        allow 127.0.0.0/8;
        deny all;
        root $content;
        if ($kind = none) {{ return 404; }}
        if ($kind = e500) {{ return 500; }}
        if ($kind = waf) {{ return 403; }}
        location = / {{
            if ($kind = moved) {{ return 301 /ppid/; }}
            try_files /index.html =404;
        }}
    }}
}}
"""

    def __enter__(self) -> NationalNginx:
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self.config())
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(self.prefix / "stderr.log", "wb"))
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection((address_of(0), self.world.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError("nginx did not start: " + (
                        self.prefix / "stderr.log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self.process:
            stop(self.process, 15, signal.SIGQUIT)


def stop(process: subprocess.Popen, grace: float, sig: int = signal.SIGTERM) -> None:
    """Ask a child to stop with ``sig``; kill it if it is still there after ``grace`` seconds."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- a Dask cluster on loopback ----------------------------------------------------------


class LoopbackDask:
    """A real ``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1
    (no nanny, so each worker's peak RSS is its own process's), stopped on exit."""

    def __init__(self, workdir: Path, workers: int = 2, threads: int = 4,
                 env: dict[str, str] | None = None) -> None:
        self.workdir, self.workers, self.threads = workdir, workers, threads
        self.env = env or {}
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        from flows.runners import WORKER_ENV  # the profiler off (a CPython 3.11 deadlock)

        env = {**os.environ, "PYTHONPATH": str(ROOT), **WORKER_ENV, **self.env}
        process = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL,
                                   stderr=open(self.workdir / log, "wb"))
        self.processes.append(process)
        return process

    def __enter__(self) -> LoopbackDask:
        self.workdir.mkdir(parents=True, exist_ok=True)
        port = _free_port_pair()
        self.address = f"tcp://127.0.0.1:{port}"
        self._spawn(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                     str(port), "--dashboard-address", ":0", "--no-dashboard"], "scheduler.log")
        for n in range(self.workers):
            self._spawn(["distributed.cli.dask_worker", self.address, "--nthreads",
                         str(self.threads), "--no-nanny", "--host", "127.0.0.1",
                         "--no-dashboard", "--name", f"w{n}"], f"worker{n}.log")
        try:
            self.wait_for_workers(120)
        except Exception:
            self.__exit__()
            raise
        return self

    def wait_for_workers(self, timeout: float) -> None:
        from distributed import Client

        with Client(self.address, timeout=timeout) as client:
            client.wait_for_workers(self.workers, timeout=timeout)

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self.processes[1:]]

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            stop(process, 20)


class PrefectServer:
    """A real ``prefect server start`` on 127.0.0.1 (its own PREFECT_HOME and SQLite file in
    ``workdir``), stopped on exit. The flow's process then holds only Prefect's client, as a
    scheduled run's process does (a work pool's worker starts it with ``PREFECT_API_URL``);
    ``prefect_test_harness`` would load the server's own modules (FastAPI, SQLAlchemy: ~75 MB)
    into the measured process."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> PrefectServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        port = _free_port_pair()
        self.url = f"http://127.0.0.1:{port}/api"
        env = {**os.environ, "PREFECT_HOME": str(self.workdir / "home"),
               "PREFECT_API_DATABASE_CONNECTION_URL":
                   f"sqlite+aiosqlite:///{self.workdir / 'prefect.db'}",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
               "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"}
        env.pop("PREFECT_API_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port)], cwd=self.workdir, env=env, stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "server.log", "wb"))
        try:
            self._wait_healthy(180)
        except Exception:
            self.__exit__()
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("prefect server exited: "
                                   + (self.workdir / "server.log").read_text()[-2000:])
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"prefect server not healthy after {timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            stop(self.process, 30)


def peak_rss_of(pid: int) -> float:
    """A live process's peak RSS (VmHWM), MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# --- running ------------------------------------------------------------------------------


def settings_file(path: Path, task_runner: str, slots: int) -> Path:
    """Crawl settings of the simulation (no per-host delay: every site is its own host and
    the delay would only pace the few pages of each)."""
    path.write_text(
        "crawl:\n  host_delay: 0.0\n  connect_timeout: 5\n  read_timeout: 10\n"
        "  page_timeout: 20\n  retries: 1\n  retry_backoff: 0.05\n  max_pages: 50\n"
        f"schedule:\n  task_runner: '{task_runner}'\n  max_workers: {slots}\n"
        "  dask_threads_per_worker: 1\n  agency_task_retries: 0\n", encoding="utf-8")
    return path


def run_child(args: list[str], timeout: float, api_url: str = "") -> dict:
    """``national_runner`` in a child process; its JSON result. With ``api_url`` the flow
    reports to that Prefect server (``PrefectServer``) instead of starting a test server."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.national_runner", *args,
                               "--out", str(out)], cwd=ROOT, timeout=timeout, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"national_runner failed: {done.stderr[-3000:]}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def one_size(world: NationalWorld, count: int, workdir: Path, size: Size, log,
             api_url: str = "") -> dict:
    """The flow on a loopback Dask cluster (started by the child) over the first ``count``
    sites, reporting to the Prefect server at ``api_url`` (default: a test server)."""
    run_dir = workdir / f"run-{count}"
    run_dir.mkdir(parents=True, exist_ok=True)
    registry = world.write_registry(run_dir / "registry.yaml", count)
    settings = settings_file(run_dir / "settings.yaml", "threads",
                             size.workers * size.threads_per_worker)
    result = run_child(["flow", str(registry), str(run_dir / "national.duckdb"), str(settings),
                        "--dask-workers", str(size.workers), "--dask-threads",
                        str(size.threads_per_worker)], timeout=4 * 3600, api_url=api_url)
    log(f"  {count:,} agencies: {result['wall']:.1f} s, {count / result['wall']:.0f} agencies/s, "
        f"flow {result['peak_rss_mb']:.0f} MB, workers "
        f"{', '.join(f'{m:.0f}' for m in result['worker_peak_rss_mb'])} MB, "
        f"write {result['write_seconds']:.2f} s")
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


def overhead(world: NationalWorld, count: int, workdir: Path, slots: int, log,
             api_url: str = "") -> dict:
    """The flow (threads runner) and the same work without Prefect, each twice, alternating;
    the faster of each pair is kept (the machine is shared)."""
    run_dir = workdir / f"overhead-{count}"
    run_dir.mkdir(parents=True, exist_ok=True)
    registry = world.write_registry(run_dir / "registry.yaml", count)
    settings = settings_file(run_dir / "settings.yaml", "threads", slots)
    walls: dict[str, list[dict]] = {"flow": [], "direct": []}
    for _ in range(2):
        for mode in ("direct", "flow"):
            db = run_dir / f"{mode}.duckdb"
            db.unlink(missing_ok=True)
            walls[mode].append(run_child([mode, str(registry), str(db), str(settings)],
                                         timeout=3600, api_url=api_url))
    best = {m: min(r, key=lambda x: x["wall"]) for m, r in walls.items()}
    share = best["flow"]["wall"] / best["direct"]["wall"] - 1
    log(f"  overhead at {count:,}: flow {best['flow']['wall']:.1f} s, without Prefect "
        f"{best['direct']['wall']:.1f} s ({share:+.1%})")
    return {"best": best, "all": walls, "share": share}


def run(size: Size = FULL, workdir: Path | None = None, log=print) -> Outcome:
    """The simulation at every size, then the overhead measurement; one Outcome."""
    outcome = Outcome("national")
    nginx = find_nginx(log=log)
    if not nginx:
        outcome.rows.append(Row("(9) national run: nginx missing", "—", "—", "—", "—", False))
        return outcome
    tmp = tempfile.TemporaryDirectory(prefix="pantau-bench-national-", dir=workdir)
    root = Path(tmp.name)
    try:
        world = generate(root / "world", max(size.sizes + (size.overhead_agencies,)))
        with NationalNginx(world, nginx, workers=1), PrefectServer(root / "prefect") as server:
            runs = {n: one_size(world, n, root, size, log, server.url) for n in size.sizes}
            slots = size.workers * size.threads_per_worker
            cost = overhead(world, size.overhead_agencies, root, slots, log, server.url)
        outcome.raw = {"runs": runs, "overhead": cost, "size": size.__dict__}
        outcome.rows, outcome.details = report(runs, cost, size)
    finally:
        tmp.cleanup()
    return outcome


def report(runs: dict[int, dict], cost: dict, size: Size) -> tuple[list[Row], str]:
    """The table rows and the Markdown details of the simulation."""
    sizes = sorted(runs)
    big = runs[sizes[-1]]
    small = runs[sizes[0]]
    rows = []
    per_s = {n: n / runs[n]["wall"] for n in sizes}
    for n in sizes:
        r = runs[n]
        rows.append(Row(f"(9) national run, {n:,} agencies (Dask, 2 workers): wall time",
                        f"{r['wall']:.0f} s", "—", "—", "informative", None))
    growth = (big["wall"] / sizes[-1]) / (small["wall"] / sizes[0])
    rows.append(Row(f"  agencies per second at {sizes[-1]:,} vs {sizes[0]:,}",
                    f"{per_s[sizes[-1]]:.0f}/s", f"{per_s[sizes[0]]:.0f}/s",
                    f"{growth:.2f}× time per agency", "linear or better (≤ 1.10×)",
                    growth <= 1.10))
    rss = {n: runs[n]["peak_rss_mb"] for n in sizes}
    rows.append(Row(f"  peak RSS of the flow process at {sizes[-1]:,} agencies",
                    f"{rss[sizes[-1]]:.0f} MB", f"{rss[sizes[0]]:.0f} MB at {sizes[0]:,}",
                    f"{rss[sizes[-1]] / rss[sizes[0]]:.2f}×", "< 200 MB, flat",
                    rss[sizes[-1]] < RSS_TARGET_MB))
    growth = {n_: runs[n_].get("rss_peak_during_run_mb", float("nan"))
              - runs[n_].get("rss_at_start_mb", float("nan")) for n_ in sizes}
    rows.append(Row(f"  the flow process's growth during the run at {sizes[-1]:,} agencies "
                    "(peak minus its size when the run starts)",
                    f"{growth[sizes[-1]]:+.0f} MB", f"{growth[sizes[0]]:+.0f} MB at {sizes[0]:,}",
                    "—", "flat (informative)", None))
    if big.get("phase_peak_mb"):
        rows.append(Row(f"  where the flow process's peak is at {sizes[-1]:,} agencies "
                        "(peak RSS by phase of the run)", phase_text(big), "—", "—",
                        "informative (explains the peak)", None))
    workers = big["worker_peak_rss_mb"]
    rows.append(Row("  peak RSS of each Dask worker", " / ".join(f"{m:.0f} MB" for m in workers),
                    "—", "—", "informative", None))
    write = big["write_seconds"]
    findings = big["findings"]
    rows.append(Row(f"  DuckDB write of the run ({sizes[-1]:,} agencies, {findings:,} findings)",
                    f"{write:.2f} s", f"{WRITE_TARGET_S:.0f} s (bound)",
                    f"{write / WRITE_TARGET_S:.2f}× bound", "< 2 s", write < WRITE_TARGET_S))
    if "write_cpu_seconds" in big:
        rows.append(Row("    the write's CPU (the flow process: DuckDB's threads)",
                        cores_busy(big["write_cpu_seconds"], write), "—", "—",
                        "informative (explains the write)", None))
    flow, direct = cost["best"]["flow"], cost["best"]["direct"]
    n = size.overhead_agencies
    rows.append(Row(f"(10) Prefect overhead at {n:,} agencies: crawl_all vs the same work "
                    "without Prefect", f"{flow['wall']:.1f} s", f"{direct['wall']:.1f} s",
                    f"{cost['share']:+.1%}", "< +10 %", cost["share"] < OVERHEAD_TARGET))
    lines = [
        f"One nginx serves every site on its own loopback address (127.100.X.Y) and one port; "
        f"of every 20 sites 14 are small PPID sites (home page, three pages, 2–4 PDFs; five "
        f"content variants) and 6 are: 500 everywhere, 403 to everything, refused, broken pages "
        f"and documents, home page moved (301), documents missing. The real `crawl_all` flow "
        f"runs in a child process against a real `prefect server` process (the flow's process "
        f"holds Prefect's client only, as a work pool's run does) with the Dask task runner on a "
        f"real `dask scheduler` and {size.workers} `dask worker` processes "
        f"({size.threads_per_worker} threads each, no nanny) on loopback; no per-host delay.",
        "",
        "| agencies | wall s | agencies/s | unreachable | findings | flow RSS at start MB | "
        "flow peak RSS MB | … while crawling / flushing / committing MB | worker peak RSS MB | "
        "staging flushes | DuckDB write s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n_ in sizes:
        r = runs[n_]
        lines.append(f"| {n_:,} | {r['wall']:.1f} | {n_ / r['wall']:.0f} | {r['unreachable']:,} | "
                     f"{r['findings']:,} | {r.get('rss_at_start_mb', float('nan')):.0f} | "
                     f"{r['peak_rss_mb']:.0f} | {phase_cells(r)} | "
                     f"{' / '.join(f'{m:.0f}' for m in r['worker_peak_rss_mb'])} | "
                     f"{r.get('flushes', '—')} | {r['write_seconds']:.2f} |")
    lines += [
        "",
        f"Prefect overhead: the flow with the thread runner ({size.workers * size.threads_per_worker} "
        f"threads) against the same batches through `check_agencies.fn` on a thread pool of the "
        "same size, streamed into the same staging file and committed the same way; each twice, "
        f"alternating, the faster kept: flow {flow['wall']:.1f} s, without Prefect "
        f"{direct['wall']:.1f} s ({cost['share']:+.1%}). Flow process CPU: "
        f"{flow.get('cpu_seconds', float('nan')):.1f} s vs {direct.get('cpu_seconds', float('nan')):.1f} s.",
    ]
    if big.get("write_tables"):
        lines += ["", f"The DuckDB write at {sizes[-1]:,} agencies, seconds per step of the one "
                  "transaction (table-to-table copies from the staging file): "
                  + ", ".join(f"{t} {sec:.2f}" for t, sec in big["write_tables"].items())
                  + (f"; {cores_busy(big['write_cpu_seconds'], write)}"
                     if "write_cpu_seconds" in big else "") + "."]
    if big.get("memory_profile"):
        lines += ["", f"Live Python allocations of the flow process at the end of the "
                  f"{sizes[-1]:,}-agency run (tracemalloc, largest first):", "", "```",
                  *big["memory_profile"], "```"]
    if big.get("profile"):
        lines += ["", "Flow process, where the time went (cProfile, top functions by own time):",
                  "", "```", *big["profile"], "```"]
    return rows, "\n".join(lines)


PHASES = (("crawl", "crawling"), ("flush", "staging flushes"), ("commit", "commit"))
"""The phases of a run whose peak RSS ``national_runner.PhasePeaks`` measures."""


def phase_cells(result: dict) -> str:
    """``crawl / flush / commit`` peak MB of a run, or — when not measured."""
    peaks = result.get("phase_peak_mb") or {}
    return " / ".join(f"{peaks[k]:.0f}" if k in peaks else "—" for k, _ in PHASES)


def phase_text(result: dict) -> str:
    """The run's peak RSS by phase, with the process's size before the run."""
    peaks = result.get("phase_peak_mb") or {}
    parts = [f"before {result['rss_at_start_mb']:.0f}"] if "rss_at_start_mb" in result else []
    parts += [f"{label} {peaks[k]:.0f}" for k, label in PHASES if k in peaks]
    return ", ".join(parts) + " MB"


# --- (5) memory of the streamed pipeline over the world of (1) ------------------------------


def pipeline_memory(world, root: Path, concurrency: int, modes: tuple[str, ...], log) -> dict:
    """The world of (1) crawled again by the whole pipeline (crawl, detection, rows streamed
    into the staging file, commit): ``direct`` without Prefect, ``flow`` through ``crawl_all``
    (threads runner); each child's peak RSS. Also the flow process's footprint before any
    crawl (its imports: Prefect's client, DuckDB, the crawler, the Dask client)."""
    from benchmarks.recrawl_runner import write_inputs

    out: dict = {}
    if not modes:
        return out
    workdir = root / "memory"
    workdir.mkdir(parents=True, exist_ok=True)
    registry, settings = write_inputs(world, workdir, concurrency)
    with PrefectServer(workdir / "prefect") as server:
        for mode in modes:
            db = workdir / f"{mode}.duckdb"
            out[mode] = run_child([mode, str(registry), str(db), str(settings)], timeout=3600,
                                  api_url=server.url)
            log(f"  streamed pipeline ({mode}): {out[mode]['pages']:,} pages in "
                f"{out[mode]['wall']:.1f} s, peak RSS {out[mode]['peak_rss_mb']:.0f} MB")
            db.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", "import flows.crawl, distributed, prefect_dask\n"
                           "from benchmarks.common import peak_rss_mb\nprint(peak_rss_mb())"],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True)
    out["imports_mb"] = float(done.stdout.strip() or "nan")
    return out


def memory_rows(streamed: dict, pages: int) -> list[Row]:
    """(5)'s rows for the streamed pipeline."""
    rows = []
    for mode, label in (("direct", "crawl → detection → staging file, no Prefect"),
                        ("flow", "the crawl_all flow, threads runner")):
        if mode in streamed:
            mb = streamed[mode]["peak_rss_mb"]
            rows.append(Row(f"  peak RSS of a {pages:,}-page run, streamed ({label})",
                            f"{mb:.0f} MB", f"{RSS_TARGET_MB:.0f} MB (bound)",
                            f"{mb / RSS_TARGET_MB:.2f}× bound", f"< {RSS_TARGET_MB:.0f} MB",
                            mb < RSS_TARGET_MB))
    for mode, label in (("direct", "no Prefect"), ("flow", "crawl_all flow")):
        if streamed.get(mode, {}).get("phase_peak_mb"):
            rows.append(Row(f"  where that peak is ({label}): peak RSS by phase of the run",
                            phase_text(streamed[mode]), "—", "—",
                            "informative (explains the peak)", None))
    if "imports_mb" in streamed:
        rows.append(Row("  the flow process before crawling (imports: Prefect, DuckDB, crawler, Dask client)",
                        f"{streamed['imports_mb']:.0f} MB", "—", "—", "informative", None))
    return rows


def memory_details(streamed: dict, pages: int) -> str:
    """(5)'s paragraph for the streamed pipeline."""
    if not streamed:
        return ""
    parts = [f"The same world crawled again by the whole pipeline ({pages:,} pages; "
             "`national_runner`): each agency's rows go into the run's staging file as its batch "
             "ends and only a small summary per agency stays in memory."]
    for mode in ("direct", "flow"):
        if mode in streamed:
            r = streamed[mode]
            parts.append(f"{mode}: {r['pages']:,} pages stored in {r['wall']:.1f} s, peak RSS "
                         f"{r['peak_rss_mb']:.0f} MB ({phase_text(r)}), "
                         f"{r.get('flushes', '—')} staging flushes, "
                         f"write {r['write_seconds']:.2f} s.")
    if "imports_mb" in streamed:
        parts.append(f"Importing the flow's modules alone takes {streamed['imports_mb']:.0f} MB "
                     "(Python, Prefect's client, DuckDB, lxml, the Dask client; no Arrow or numpy since rows "
                     "go in as JSON lines): that part does not grow.")
    return " ".join(parts)
