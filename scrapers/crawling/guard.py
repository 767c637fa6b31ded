"""The address guard: where an outbound request may connect, decided before it connects.

Every request of a crawl (pages, robots.txt, sitemaps, document probes, redirects, a browser's
requests) goes through one :class:`AddressGuard`. It resolves the host itself and checks
*every* address the name resolves to; the connection is then opened to one of those checked
addresses (never resolved a second time), so a name cannot answer "public" to the check and
"private" to the connect.

Address classes (IPv4 and IPv6; an IPv4 address embedded in an IPv6 one, ``::ffff:10.0.0.1``,
6to4 or NAT64, is judged as the IPv4 address it carries):

- ``global``: the public internet, always allowed;
- ``loopback``, ``private`` (RFC 1918, shared 100.64/10, IPv6 ULA/site-local), ``link-local``
  (169.254/16 with the cloud metadata service, fe80::/10): refused unless the agency's own
  registry URL resolves to that class (a loopback test world or a city intranet keeps
  working; link-local only when the registry itself names such an address). The
  ``allow_private`` setting allows ``private`` for every agency (intranet deployments);
- ``multicast``, ``unspecified`` (0.0.0.0, ::) and ``reserved`` (documentation, benchmarking,
  240/4, broadcast, IPv4-compatible IPv6 …): always refused.

A redirect of the start URL may move the site (http → https, ``kab.go.id`` →
``ppid.kab.go.id``) but only within the agency's registrable domain (from the bundled Public
Suffix List; for an IP address: the same address), to the registry's port or 80/443:
:func:`start_redirect_refusal`.

Tests inject a resolver (``{"intranet.test": ["10.1.2.3"]}``) and an opener, so no packet
leaves loopback.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

GLOBAL = "global"
LOOPBACK = "loopback"
PRIVATE = "private"
LINK_LOCAL = "link-local"
MULTICAST = "multicast"
UNSPECIFIED = "unspecified"
RESERVED = "reserved"

ALLOWABLE = frozenset({LOOPBACK, PRIVATE, LINK_LOCAL})
"""Classes an agency's registry URL can open up; the others are refused whatever it says."""

_NETS = {
    LOOPBACK: ("127.0.0.0/8", "::1/128"),
    UNSPECIFIED: ("0.0.0.0/8", "::/128"),
    LINK_LOCAL: ("169.254.0.0/16", "fe80::/10"),
    MULTICAST: ("224.0.0.0/4", "ff00::/8"),
    PRIVATE: (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "fec0::/10",
    ),
}
_CLASS_NETS = [
    (name, ipaddress.ip_network(net)) for name, nets in _NETS.items() for net in nets
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

Resolver = Callable[[str, int, float], list[str]]
"""(host, port, timeout seconds) -> the host's addresses as strings; raises OSError."""
Opener = Callable[[tuple[str, int], float], socket.socket]
"""((address, port), timeout) -> a connected socket (``socket.create_connection``'s shape)."""


class AddressRefused(OSError):
    """The guard refused a host: ``reason`` says which address and why, for the crawl record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def address_class(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The class of one IP address (see the module docstring)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.version == 6:
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return address_class(embedded)
        if ip in _IPV4_COMPATIBLE and int(ip) > 1:
            return RESERVED
    for name, net in _CLASS_NETS:
        if ip.version == net.version and ip in net:
            return name
    if ip.version == 4 and ip == ipaddress.IPv4Address("255.255.255.255"):
        return RESERVED
    return GLOBAL if ip.is_global else RESERVED


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _literal(host: str) -> str | None:
    """The host as an IP address string when it is one (``[::1]`` → ``::1``), else None."""
    bare = host.strip("[]")
    try:
        return str(ipaddress.ip_address(bare.split("%", 1)[0]))
    except ValueError:
        return None


def system_resolver(host: str, port: int, timeout: float) -> list[str]:
    """Resolve with the operating system (``getaddrinfo``); the guard bounds the wait."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    answer = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in answer))


def bounded_lookup(resolver: Resolver, host: str, port: int, timeout: float) -> list[str]:
    """``resolver(host, port, timeout)``, given up after ``timeout`` seconds: a lookup cannot
    be interrupted, so it runs in a helper thread that is left behind when it hangs."""
    if _literal(host) is not None:
        return resolver(host, port, timeout)
    result: list[object] = []

    def lookup() -> None:
        try:
            result.append(resolver(host, port, timeout))
        except OSError as exc:
            result.append(exc)

    thread = threading.Thread(target=lookup, name="pantau-dns", daemon=True)
    thread.start()
    thread.join(max(0.0, timeout))
    if not result:
        raise socket.gaierror(socket.EAI_AGAIN, f"DNS lookup of {host} took over {timeout:.3g}s")
    answer = result[0]
    if isinstance(answer, OSError):
        raise answer
    return answer  # type: ignore[return-value]


def static_resolver(table: Mapping[str, Iterable[str]]) -> Resolver:
    """A resolver from a fixed table (tests, ``/etc/hosts``-like overrides); IP literals
    resolve to themselves, unknown names fail like an unknown DNS name."""
    names = {name.lower().rstrip("."): list(addresses) for name, addresses in table.items()}

    def resolve(host: str, port: int, timeout: float) -> list[str]:
        literal = _literal(host)
        if literal is not None:
            return [literal]
        try:
            return list(names[host.lower().rstrip(".")])
        except KeyError:
            raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}") from None

    return resolve


def plain_opener(address: tuple[str, int], timeout: float) -> socket.socket:
    """Open a TCP connection to one already checked address."""
    return socket.create_connection(address, timeout)


@dataclass(frozen=True)
class AddressGuard:
    """Which address classes one agency's requests may reach, and the means to get there.

    Build it with :meth:`for_registry_url`. ``check_url(url)`` answers None or the refusal;
    ``connect(host, port, timeout)`` resolves, checks every address and connects to a
    checked one (raising :class:`AddressRefused`)."""

    allowed: frozenset[str] = frozenset()
    """Classes allowed besides ``global``."""
    resolver: Resolver = field(default=system_resolver, compare=False)
    opener: Opener = field(default=plain_opener, compare=False)

    @classmethod
    def for_registry_url(
        cls,
        url: str,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        opener: Opener | None = None,
        timeout: float = 10.0,
    ) -> AddressGuard:
        """The guard of an agency whose registry URL is ``url``: the non-public classes its
        own host resolves to are allowed (plus ``private`` with ``allow_private``)."""
        resolver = resolver or system_resolver
        allowed = set(registry_classes(url, resolver, timeout))
        if allow_private:
            allowed.add(PRIVATE)
        return cls(frozenset(allowed), resolver, opener or plain_opener)

    def resolve(self, host: str, port: int, timeout: float) -> list[str]:
        """The host's addresses, all of them allowed; raises AddressRefused or OSError."""
        addresses = bounded_lookup(self.resolver, host, port, timeout)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"no address for {host}")
        for address in addresses:
            reason = self.refusal(address, host)
            if reason:
                raise AddressRefused(reason)
        return addresses

    def refusal(self, address: str, host: str = "") -> str | None:
        """Why ``address`` may not be reached (None when it may)."""
        kind = address_class(address)
        if kind == GLOBAL or kind in self.allowed:
            return None
        named = f"{host} resolves to {address}" if host and _literal(host) is None else address
        return f"address refused: {named} is {kind}"

    def check_url(self, url: str, timeout: float = 10.0) -> str | None:
        """None when every address of ``url``'s host may be reached, else the reason
        (refused address, unsupported scheme, or a failed lookup)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"address refused: not an http(s) URL: {url[:200]}"
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return f"address refused: bad port in {url[:200]}"
        try:
            self.resolve(parts.hostname, port, timeout)
        except AddressRefused as refused:
            return refused.reason
        except OSError as exc:
            return f"DNS lookup failed: {parts.hostname}: {exc}"
        return None

    def connect(
        self,
        host: str,
        port: int,
        timeout: float,
        *,
        socket_options: Iterable[tuple[int, int, int | bytes]] | None = None,
    ) -> socket.socket:
        """Resolve ``host`` (within ``timeout``), refuse it unless every address is allowed,
        then connect to the checked addresses in turn."""
        addresses = self.resolve(host, port, timeout)
        last: OSError | None = None
        for address in addresses:
            try:
                sock = self.opener((address, port), timeout)
            except OSError as exc:
                last = exc
                continue
            for option in socket_options or ():
                sock.setsockopt(*option)
            return sock
        raise last or OSError(f"cannot connect to {host}")


def registry_classes(url: str, resolver: Resolver, timeout: float = 10.0) -> set[str]:
    """The allowable classes that the registry URL's host resolves to (none when it does
    not resolve: the crawl then fails on DNS by itself)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return set()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = bounded_lookup(resolver, parts.hostname, port, timeout)
    except (OSError, ValueError):
        return set()
    return {address_class(a) for a in addresses} & ALLOWABLE


def check_url(url: str, allowed: Iterable[str], resolver: Resolver | None = None) -> str | None:
    """One-call form for other request paths (a headless browser's requests): None when
    ``url`` may be requested with ``allowed`` classes, else the refusal reason."""
    guard = AddressGuard(frozenset(allowed), resolver or system_resolver)
    return guard.check_url(url)


# --- where a start URL may redirect --------------------------------------------------


@lru_cache(maxsize=1)
def _suffix_list():  # noqa: ANN202 - the library's own type
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the list bundled with the package: nothing is downloaded


def registrable_domain(host: str) -> str:
    """``ppid.surabaya.go.id`` → ``surabaya.go.id`` (Public Suffix List); an IP address or
    a name without a registrable part (``localhost``) is its own domain."""
    host = host.lower().strip("[]").rstrip(".")
    if _literal(host) is not None:
        return _literal(host) or host
    return _suffix_list().privatesuffix(host) or host


def _port(parts) -> int:  # noqa: ANN001 - a SplitResult
    return parts.port or (443 if parts.scheme == "https" else 80)


def start_redirect_refusal(registry_url: str, target: str) -> str | None:
    """None when the start URL may redirect to ``target``, else why not: http(s) only,
    within the registry URL's registrable domain (an IP address: the same address), on the
    registry URL's port or 80/443."""
    origin, dest = urlsplit(registry_url), urlsplit(target)
    if dest.scheme not in ("http", "https") or not dest.hostname:
        return f"redirect refused: not an http(s) URL ({target[:200]})"
    try:
        dest_port = _port(dest)
    except ValueError:
        return f"redirect refused: bad port ({target[:200]})"
    home = registrable_domain(origin.hostname or "")
    there = registrable_domain(dest.hostname)
    if there != home:
        return f"redirect refused: {dest.hostname} is outside {home}"
    if dest_port not in {_port(origin), 80, 443}:
        return f"redirect refused: port {dest_port} (allowed: {_port(origin)}, 80, 443)"
    return None
