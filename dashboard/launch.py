"""Starting the dashboard server: ``pantau dashboard`` (foreground) and ``pantau demo``
(background, ``start``) share this.

The server is ``python -m streamlit run dashboard/app.py ... -- --db FILE`` on loopback,
headless, without usage statistics, with the viewer toolbar (no developer menu). ``start`` returns once ``/_stcore/health`` answers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import db

APP = Path(__file__).resolve().with_name("app.py")
HOST = "127.0.0.1"
DEFAULT_PORT = 8501


class LaunchError(RuntimeError):
    """The dashboard cannot start; the message is for the user (Indonesian)."""


@dataclass
class Server:
    """A running Streamlit dashboard process and its address."""

    process: subprocess.Popen
    url: str

    def stop(self, timeout: float = 10.0) -> int:
        """Terminate the server (SIGTERM, then SIGKILL after ``timeout``); its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def check_database(path: str | Path) -> Path:
    """The database path if it is a Pantau PPID database this version can read."""
    path = Path(path)
    if not path.exists():
        raise LaunchError(f"Basis data tidak ditemukan: {path}")
    try:
        with db.read_only(path):
            pass
    except db.DatabaseFileError as exc:
        raise LaunchError(str(exc)) from exc
    except db.SchemaError as exc:
        raise LaunchError(f"{path} bukan basis data Pantau PPID yang dapat dibuka: {exc}") from exc
    except duckdb.Error as exc:
        if db.is_lock_error(exc):
            raise LaunchError(f"{path} sedang dipakai proses lain untuk menulis; coba lagi "
                              "sebentar lagi.") from exc
        raise LaunchError(f"{path} bukan basis data DuckDB Pantau PPID: {exc}") from exc
    return path


def command(path: str | Path, port: int, host: str = HOST) -> list[str]:
    """The server's command line."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", host,
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--", "--db", str(Path(path).resolve()),
    ]


def free_port(host: str = HOST) -> int:
    """A port free on ``host`` now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = HOST) -> bool:
    """Whether something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def ensure_port_free(port: int, host: str = HOST) -> int:
    """The port, if the dashboard can listen on it; else ``LaunchError`` naming the ways to
    choose another one. Checked before a demo starts its crawls, so nobody waits minutes
    for a crawl to end in a traceback."""
    if not 0 < port < 65536:
        raise LaunchError(f"Port {port} tidak sah: pilih angka 1–65535.")
    busy = port_in_use(port, host)
    if not busy:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                busy = True
    if busy:
        raise LaunchError(
            f"Port {port} di {host} sudah dipakai program lain. Pilih port lain: "
            f"`pantau demo --port N`, `make demo PORT=N` atau PANTAU_DASHBOARD_PORT=N.")
    return port


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(APP.parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def healthy(url: str, timeout: float = 1.0) -> bool:
    """Whether the Streamlit server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_healthy(process: subprocess.Popen, url: str, timeout: float = 60.0) -> None:
    """Wait until the server answers (LaunchError if it exits or ``timeout`` passes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LaunchError(f"Server dasbor berhenti saat dimulai (kode {process.returncode}).")
        if healthy(url):
            return
        time.sleep(0.1)
    raise LaunchError(f"Server dasbor tidak menjawab di {url} dalam {timeout:.0f} detik.")


def start(path: str | Path, port: int | None = None, *, host: str = HOST,
          timeout: float = 60.0, **popen) -> Server:
    """Start the server in the background (port None: a free one) and wait until it answers.
    Extra keyword arguments go to ``subprocess.Popen`` (e.g. ``stdout``)."""
    path = check_database(path)
    port = port or free_port(host)
    if port_in_use(port, host):
        raise LaunchError(f"Port {port} sudah dipakai; pilih port lain dengan --port.")
    process = subprocess.Popen(command(path, port, host), env=_env(), **popen)
    url = f"http://{host}:{port}"
    try:
        wait_until_healthy(process, url, timeout)
    except BaseException:
        Server(process, url).stop()
        raise
    return Server(process, url)


def run_foreground(path: str | Path, port: int = DEFAULT_PORT, *, host: str = HOST) -> int:
    """Run the server until it exits or this process is told to stop; SIGINT/SIGTERM/SIGHUP
    are passed on to it. Returns the server's exit code."""
    path = check_database(path)
    if port_in_use(port, host):
        raise LaunchError(f"Port {port} sudah dipakai; pilih port lain dengan --port.")
    process = subprocess.Popen(command(path, port, host), env=_env())

    def forward(signum, _frame):
        if process.poll() is None:
            process.send_signal(signum)

    forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, forward) for s in forwarded}
    try:
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:  # a handler raced us; keep waiting for the child
                continue
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
