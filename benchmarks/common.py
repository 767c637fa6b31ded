"""What every benchmark shares: the result rows of the final table, timing statistics,
and the machine description that goes with every number."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    pantau: str
    peer: str
    """The peer's figure (Scrapy) or the bound the figure is compared with; "—" for none."""
    ratio: str
    target: str
    met: bool | None
    """None: nothing to meet (an informative row)."""

    @property
    def verdict(self) -> str:
        return "—" if self.met is None else ("met" if self.met else "NOT MET")


@dataclass
class Outcome:
    """What one benchmark produced: table rows, a Markdown section of details, raw numbers."""

    name: str
    rows: list[Row] = field(default_factory=list)
    details: str = ""
    raw: dict = field(default_factory=dict)
    seconds: float = 0.0


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation, as numpy's default."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds of each of ``repeat`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def cores_busy(cpu_seconds: float, wall_seconds: float) -> str:
    """CPU time against wall time: ``3.9 CPU-seconds, 1.5 of 2 cores busy``. A step whose
    cores are all busy is bound by the machine, not by waiting."""
    busy = cpu_seconds / wall_seconds if wall_seconds > 0 else 0.0
    return f"{cpu_seconds:.1f} CPU-seconds, {busy:.1f} of {os.cpu_count()} cores busy"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def nginx_version(binary: str | None) -> str:
    if not binary:
        return "not used"
    try:
        out = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
        return (out.stderr or out.stdout).strip().split("/", 1)[-1]
    except OSError:
        return "unknown"


def machine(nginx_binary: str | None = None) -> dict[str, str]:
    """The machine and software versions the numbers were measured on."""
    return {
        "CPU": _cpu_model(),
        "cores (logical)": str(os.cpu_count()),
        "RAM": f"{_ram_gib():.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "duckdb": _version("duckdb"),
        "scrapy": _version("scrapy"),
        "requests": _version("requests"),
        "lxml": _version("lxml"),
        "prefect": _version("prefect"),
        "nginx": nginx_version(nginx_binary),
    }


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). Not ``getrusage().ru_maxrss``: Linux carries that over
    from the parent across fork and exec, so a child would report its parent's peak."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
