"""A world's sites served by one process that stamps each request with the kernel's arrival time.

``python -m benchmarks.stamp_server WORLD_JSON LOG_PATH`` listens on every site's address and
port, prints ``ready`` once all are listening, serves the files (GET/HEAD, keep-alive) until
it is terminated, then writes one line per request to ``LOG_PATH``:
``arrival address status method path``. The arrival is the kernel's receive stamp of the
request's first bytes (``SO_TIMESTAMPNS``, set on the listening sockets so that accepted ones
stamp from their first byte): unlike a server's own clock (nginx refreshes its clock once per
event-loop turn, and a busy machine runs that loop late) no scheduling delay of this process
moves it, so the gaps between two requests to one host are the gaps that reached the host.
The politeness benchmark (2) measures the per-host delay with it.
"""

from __future__ import annotations

import selectors
import signal
import socket
import struct
import sys
from pathlib import Path

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
         ".xml": "application/xml", ".pdf": "application/pdf"}


class Connection:
    """One client connection: bytes read so far and the arrival stamp of the request's start."""

    def __init__(self, sock: socket.socket, address: str, root: Path) -> None:
        self.sock, self.address, self.root = sock, address, root
        self.buffer = b""
        self.arrived: float | None = None


def file_for(root: Path, path: str) -> Path | None:
    """The file a request path names inside the site's directory, or None."""
    path = path.split("?", 1)[0]
    name = "index.html" if path in ("", "/") else path.lstrip("/")
    candidate = (root / name).resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def answer(conn: Connection, request: bytes, log: list) -> None:
    """Send the response to one request and log it with its arrival stamp."""
    line = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    method, path = (line[0], line[1]) if len(line) >= 2 else ("GET", "/")
    target = file_for(conn.root, path)
    if target is None:
        status, body, kind = 404, b"not found", "text/plain"
    else:
        status, body, kind = 200, target.read_bytes(), TYPES.get(target.suffix, "application/octet-stream")
    head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
            f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    conn.sock.sendall(head + (b"" if method == "HEAD" else body))
    log.append((conn.arrived or 0.0, conn.address, status, method, path))
    conn.arrived = None


def read(conn: Connection, selector: selectors.BaseSelector, log: list) -> None:
    """Read what arrived; answer every complete request in it."""
    try:
        data, ancillary, _, _ = conn.sock.recvmsg(65536, socket.CMSG_SPACE(16))
    except OSError:
        data, ancillary = b"", []
    if not data:
        selector.unregister(conn.sock)
        conn.sock.close()
        return
    if not conn.buffer and conn.arrived is None:
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                conn.arrived = seconds + nanoseconds / 1e9
    conn.buffer += data
    while b"\r\n\r\n" in conn.buffer:
        request, conn.buffer = conn.buffer.split(b"\r\n\r\n", 1)
        answer(conn, request, log)


def serve(world_json: str, log_path: str) -> None:
    """Listen on every site of the world; serve until SIGTERM; write the request log."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.world import World

    world = World.load(Path(world_json))
    selector = selectors.DefaultSelector()
    for site in world.sites:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        listener.bind((site.address, site.port))
        listener.listen(64)
        selector.register(listener, selectors.EVENT_READ,
                          (site.address, world.site_dir(site).resolve()))
    log: list = []
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print("ready", flush=True)
    while not stopping:
        for key, _ in selector.select(timeout=0.2):
            if isinstance(key.data, Connection):
                read(key.data, selector, log)
            else:
                sock, _ = key.fileobj.accept()
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                selector.register(sock, selectors.EVENT_READ, Connection(sock, *key.data))
    Path(log_path).write_text("".join(f"{a:.6f} {addr} {s} {m} {p}\n" for a, addr, s, m, p in log))


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
