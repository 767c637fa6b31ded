"""The address guard: classes, registry-derived allowances, start-redirect rules, connect.

Host names resolve through an injected resolver and connections through a recording opener
that only ever opens loopback connections: no packet leaves this machine.
"""

import socket

import pytest

from scrapers.crawling.guard import (
    LINK_LOCAL,
    LOOPBACK,
    PRIVATE,
    AddressGuard,
    AddressRefused,
    address_class,
    check_url,
    registrable_domain,
    start_redirect_refusal,
    static_resolver,
)
from tests.hostile import RecordingOpener


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("8.8.8.8", "global"),
        ("2001:4860:4860::8888", "global"),
        ("127.0.0.1", "loopback"),
        ("127.5.6.7", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:a00:1", "private"),
        ("2002:a00:1::1", "private"),  # 6to4 carrying 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 carrying 169.254.169.254
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("255.255.255.255", "reserved"),
        ("240.0.0.1", "reserved"),
        ("192.0.2.10", "reserved"),
        ("198.18.0.1", "reserved"),
        ("::127.0.0.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("172.32.0.1", "global"),
    ],
)
def test_address_classes(address, expected):
    assert address_class(address) == expected


RESOLVER = static_resolver(
    {
        "portal.kota.go.id": ["203.0.114.7"],  # public
        "intranet.kota.go.id": ["10.20.30.40"],
        "metadata.kota.go.id": ["169.254.169.254"],
        "rebind.kota.go.id": ["203.0.114.8", "192.168.0.10"],
        "v6only.kota.go.id": ["::ffff:192.168.0.5"],
        "lokal.test": ["127.0.0.1"],
        "link.test": ["169.254.10.10"],
    }
)


def test_public_registry_url_allows_only_public_addresses():
    guard = AddressGuard.for_registry_url("https://portal.kota.go.id/", resolver=RESOLVER)
    assert guard.allowed == frozenset()
    assert guard.check_url("https://portal.kota.go.id/ppid") is None
    assert "10.20.30.40 is private" in guard.check_url("http://intranet.kota.go.id/")
    assert "169.254.169.254 is link-local" in guard.check_url("http://metadata.kota.go.id/")
    assert "is loopback" in guard.check_url("http://127.0.0.1:8080/")
    assert "is loopback" in guard.check_url("http://[::1]/")
    assert "is private" in guard.check_url("http://v6only.kota.go.id/")
    # One private address among public ones is enough to refuse (DNS rebinding).
    assert "192.168.0.10 is private" in guard.check_url("http://rebind.kota.go.id/")
    assert guard.check_url("ftp://portal.kota.go.id/").startswith("address refused")
    assert guard.check_url("http://unknown.kota.go.id/").startswith("DNS lookup failed")


def test_registry_url_opens_its_own_class_only():
    intranet = AddressGuard.for_registry_url("http://intranet.kota.go.id/", resolver=RESOLVER)
    assert intranet.allowed == frozenset({PRIVATE})
    assert intranet.check_url("http://rebind.kota.go.id/") is None
    assert "link-local" in intranet.check_url("http://metadata.kota.go.id/")
    assert "loopback" in intranet.check_url("http://127.0.0.1/")

    world = AddressGuard.for_registry_url("http://lokal.test:8000/", resolver=RESOLVER)
    assert world.allowed == frozenset({LOOPBACK})
    assert "private" in world.check_url("http://intranet.kota.go.id/")

    linked = AddressGuard.for_registry_url("http://link.test/", resolver=RESOLVER)
    assert linked.allowed == frozenset({LINK_LOCAL})


def test_allow_private_setting_opens_private_but_not_link_local_or_loopback():
    guard = AddressGuard.for_registry_url(
        "https://portal.kota.go.id/", allow_private=True, resolver=RESOLVER
    )
    assert guard.check_url("http://intranet.kota.go.id/") is None
    assert "link-local" in guard.check_url("http://metadata.kota.go.id/")
    assert "loopback" in guard.check_url("http://127.0.0.1/")


def test_one_call_check_for_other_request_paths():
    assert check_url("http://metadata.kota.go.id/", {LOOPBACK}, RESOLVER).endswith("link-local")
    assert check_url("http://lokal.test/", {LOOPBACK}, RESOLVER) is None


def test_connect_refuses_before_opening_anything():
    opener = RecordingOpener()
    guard = AddressGuard(frozenset({LOOPBACK}), RESOLVER, opener)
    for host in ("metadata.kota.go.id", "intranet.kota.go.id", "rebind.kota.go.id"):
        with pytest.raises(AddressRefused):
            guard.connect(host, 80, 1.0)
    assert opener.opened == []


def test_connect_goes_to_the_checked_address():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    opener = RecordingOpener()
    guard = AddressGuard(frozenset({LOOPBACK}), RESOLVER, opener)
    with listener, guard.connect("lokal.test", port, 1.0) as sock:
        assert sock.getpeername() == ("127.0.0.1", port)
    assert opener.opened == [("127.0.0.1", port)]


def test_registrable_domains_come_from_the_public_suffix_list():
    assert registrable_domain("ppid.surabaya.go.id") == "surabaya.go.id"
    assert registrable_domain("dinkes.ppid.surabaya.go.id") == "surabaya.go.id"
    assert registrable_domain("www.example.co.uk") == "example.co.uk"
    assert registrable_domain("a.b.github.io") == "b.github.io"
    assert registrable_domain("127.0.0.1") == "127.0.0.1"
    assert registrable_domain("[::1]") == "::1"
    assert registrable_domain("localhost") == "localhost"


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("https://surabaya.go.id/", True),  # scheme change, same domain, 443
        ("http://ppid.surabaya.go.id:8080/x", True),  # the registry's own port
        ("https://ppid.surabaya.go.id/ppid", True),
        ("http://ppid.surabaya.go.id:8081/", False),  # another service on the machine
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://jakarta.go.id/", False),  # another agency under the same public suffix
        ("http://surabaya.go.id.evil.example/", False),
        ("ftp://surabaya.go.id/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_start_redirect_rules(target, allowed):
    refusal = start_redirect_refusal("http://ppid.surabaya.go.id:8080/", target)
    assert (refusal is None) is allowed, refusal


def test_start_redirect_of_an_ip_address_stays_on_that_address():
    assert start_redirect_refusal("http://127.0.0.1:8000/", "https://127.0.0.1/") is None
    assert start_redirect_refusal("http://127.0.0.1:8000/", "http://127.0.0.1:8000/p") is None
    assert "outside" in start_redirect_refusal("http://127.0.0.1:8000/", "http://127.0.0.2:8000/")
    assert "port" in start_redirect_refusal("http://127.0.0.1:8000/", "http://127.0.0.1:9000/")
