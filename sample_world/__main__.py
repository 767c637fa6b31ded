"""``python -m sample_world``: serve the sample world until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import tempfile
import threading
from datetime import date
from pathlib import Path

from .server import PLATFORM_WORLD, SampleWorld


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of ``python -m sample_world``."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_world",
        description="Menyajikan situs-situs PPID contoh di 127.0.0.1 sampai Ctrl-C.",
    )
    parser.add_argument("--epoch", type=int, default=1, choices=(1, 2, 3))
    parser.add_argument("--registry", type=Path, help="tempat menulis registri YAML")
    parser.add_argument("--today", type=date.fromisoformat, help="tanggal acuan (YYYY-MM-DD)")
    parser.add_argument(
        "--platforms", action="store_true",
        help="sajikan dunia platform (satu situs per platform PPID) alih-alih dunia bawaan",
    )
    return parser.parse_args(argv)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """Turn SIGTERM into a normal exit so the servers stop and the certificate is removed."""
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    """Serve the sample world on 127.0.0.1 until Ctrl-C, printing its registry and start URLs."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    registry = args.registry or Path(tempfile.mkdtemp(prefix="pantau-registry-")) / "registry.yaml"
    root = PLATFORM_WORLD if args.platforms else None
    with SampleWorld(root=root, today=args.today, epoch=args.epoch) as world:
        world.write_registry(registry)
        for site_id in world.sites:
            print(f"{site_id:18} {world.url(site_id)}")
        for host_id in world.hosts:
            print(f"{host_id:18} {world.origin(host_id)}  (host dokumen)")
        print(f"Registri: {registry}")
        print("Tekan Ctrl-C untuk berhenti.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Berhenti.")


if __name__ == "__main__":
    main()
