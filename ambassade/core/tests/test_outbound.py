"""The outbound client refuses what could reach inside the network, and limits the rest.

A local HTTP server stands in for the web. It is on 127.0.0.1, so while it runs its
address and port are in ``OUTBOUND_ALLOWED_HOSTS``, exactly as an operator would allow an
intranet host; ``serve(allowed=False)`` gives a server nobody allowed.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterator

import pytest
from django.utils import translation

from ambassade.core import outbound
from ambassade.core.outbound import OutboundError, check_url, fetch
from ambassade.testing.local_site import (
    LocalSite,
    Page,
    operator_allows,
    page_of,
    redirect_to,
    serve,
)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    pages = {
        "/page": page_of("text/html; charset=utf-8", "<title>Été</title>".encode()),
        "/to-page": redirect_to("/page"),
        "/to-metadata": redirect_to("http://169.254.169.254/latest/meta-data/"),
        "/loop": redirect_to("/loop"),
        "/big": page_of("text/plain", b"x" * 50_000),
        "/host": page_of("text/plain", lambda headers: headers["Host"].encode()),
        "/slow": Page("text/plain", b"late", delay=2),
    }
    with serve(pages) as local:
        yield local.url


def test_a_page_of_an_allowed_host_is_read_and_decoded(site: str) -> None:
    response = fetch(f"{site}/page")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.text() == "<title>Été</title>"


def test_the_host_header_is_the_original_name_not_the_address(site: str) -> None:
    port = site.rsplit(":", 1)[1]
    with operator_allows(f"localhost:{port}"):
        response = fetch(f"http://localhost:{port}/host")
    assert response.text() == f"localhost:{port}"


def test_the_certificate_store_is_loaded_once_per_process_not_per_request(
    site: str, monkeypatch
) -> None:
    # Loading it took longer than a request to a local server: publishing paid it per post.
    loaded = []
    real = outbound.httpx.create_ssl_context

    def counted(**options):
        loaded.append(options)
        return real(**options)

    monkeypatch.setattr(outbound.httpx, "create_ssl_context", counted)
    outbound._tls.cache_clear()
    try:
        assert fetch(f"{site}/page").status == 200
        assert fetch(f"{site}/page").status == 200
        context = outbound._tls()
    finally:
        outbound._tls.cache_clear()
    assert len(loaded) == 1
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.fixture
def unlisted() -> Iterator[LocalSite]:
    """A server on 127.0.0.1 that nobody allowed."""
    with serve({"/page": page_of("text/plain", b"secret")}, allowed=False) as local:
        yield local


def test_loopback_is_refused_unless_the_operator_allows_it(unlisted: LocalSite) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{unlisted.url}/page")
    assert refused.value.code in {"blocked_address", "blocked_port"}
    assert unlisted.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_metadata_addresses_are_refused_before_any_connection(url: str) -> None:
    with translation.override("en"), pytest.raises(OutboundError) as refused:
        check_url(url)
    assert refused.value.code == "blocked_address"
    assert "private or reserved" in refused.value.message


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.com/file", "invalid_url"),
        ("file:///etc/passwd", "invalid_url"),
        ("http://user:pw@example.com/", "invalid_url"),
        ("http://example.com:99999/", "invalid_url"),
        ("http:///nohost", "invalid_url"),
        ("https://" + "a" * 3000 + ".com/", "invalid_url"),
        ("http://93.184.215.14:22/", "blocked_port"),
    ],
)
def test_malformed_or_unusual_addresses_get_a_clear_code(url: str, code: str) -> None:
    with pytest.raises(OutboundError) as refused:
        check_url(url)
    assert refused.value.code == code


def test_redirects_are_followed_and_each_hop_is_checked(site: str) -> None:
    response = fetch(f"{site}/to-page")
    assert response.url == f"{site}/page"
    assert response.redirects == [f"{site}/page"]
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/to-metadata")
    assert refused.value.code == "blocked_address"


def test_redirect_loops_stop(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/loop")
    assert refused.value.code == "too_many_redirects"


def test_oversized_answers_are_cut(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/big", max_bytes=10_000)
    assert refused.value.code == "too_large"


def test_slow_answers_time_out(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/slow", timeout=0.5)
    assert refused.value.code == "timeout"


def test_unknown_names_are_reported(settings) -> None:
    with pytest.raises(OutboundError) as refused:
        check_url("http://does-not-exist.invalid/")
    assert refused.value.code == "dns_failure"


def test_operators_allow_an_intranet_host_per_host_and_port(unlisted: LocalSite, settings) -> None:
    port = int(unlisted.url.rsplit(":", 1)[1])
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    assert fetch(f"{unlisted.url}/page").status == 200
    # The same host on another port, or the same port under another name, is not allowed.
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port + 1}", f"localhost:{port + 1}"]
    with pytest.raises(OutboundError):
        fetch(f"{unlisted.url}/page")
    settings.OUTBOUND_ALLOWED_HOSTS = [f"localhost:{port}"]
    with pytest.raises(OutboundError):
        fetch(f"{unlisted.url}/page")
    assert len(unlisted.hits) == 1


def test_an_organisations_list_never_opens_an_internal_address(unlisted: LocalSite) -> None:
    """What an admin could write in the content settings before names were checked."""
    port = unlisted.url.rsplit(":", 1)[1]
    legacy = frozenset({"127.0.0.1", "localhost", "169.254.169.254", "2130706433"})
    for url in (f"{unlisted.url}/page", f"http://localhost:{port}/page"):
        with pytest.raises(OutboundError) as refused:
            fetch(url, allowed_hosts=legacy)
        assert refused.value.code in {"blocked_address", "blocked_port"}
    assert unlisted.hits == []


# Every spelling of an address that must not be fetched, on the default port, so that
# only the address check can refuse it.
FORBIDDEN = [
    "169.254.169.254",  # cloud metadata (link-local)
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # shared address space (CGNAT)
    "100.100.100.200",  # a cloud's metadata, in the shared space
    "127.0.0.1",
    "127.1",  # short form
    "2130706433",  # decimal
    "0x7f000001",  # hex
    "0x7f.0.0.1",
    "0177.0.0.1",  # octal
    "0",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.0.170",
    "198.18.0.1",  # benchmarking
    "localhost",
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:a9fe:a9fe]",
    "[::127.0.0.1]",  # IPv4-compatible
    "[::169.254.169.254]",
    "[::ffff:0:127.0.0.1]",  # IPv4-translated
    "[64:ff9b::127.0.0.1]",  # NAT64
    "[64:ff9b::a9fe:a9fe]",
    "[64:ff9b::10.0.0.1]",
    "[64:ff9b:1::808:808]",  # local-use NAT64
    "[2002:7f00:1::1]",  # 6to4
    "[2002:a9fe:a9fe::]",
    "[2002:c0a8:101::1]",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # Teredo
    "[fe80::1]",
    "[fd00:ec2::254]",  # a cloud's IPv6 metadata (unique local)
    "[fec0::1]",  # site-local
    "[ff02::1]",  # multicast
]


@pytest.mark.parametrize("host", FORBIDDEN)
def test_every_form_of_a_forbidden_address_is_refused(host: str) -> None:
    with pytest.raises(OutboundError) as refused:
        check_url(f"http://{host}/latest/meta-data/")
    assert refused.value.code == "blocked_address", refused.value.message


@pytest.fixture(scope="module")
def redirector() -> Iterator[LocalSite]:
    pages = {f"/to/{n}": redirect_to(f"http://{host}/secret") for n, host in enumerate(FORBIDDEN)}
    with serve(pages) as local:
        yield local


@pytest.mark.parametrize("n", range(len(FORBIDDEN)), ids=FORBIDDEN)
def test_a_redirect_to_any_forbidden_form_is_refused(
    redirector: LocalSite, n: int, connections: list[tuple[str, int]]
) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{redirector.url}/to/{n}")
    # httpx itself rejects a Location it cannot parse (0177.0.0.1) before we see it.
    assert refused.value.code in {"blocked_address", "unreachable"}, refused.value.message
    own = ("127.0.0.1", int(redirector.url.rsplit(":", 1)[1]))
    assert connections == [own]


def test_redirects_to_loopback_spellings_of_an_allowed_server_are_refused() -> None:
    """The server is allowed as 127.0.0.1 and its port, not under any other name."""
    with serve({}) as site:
        port = site.url.rsplit(":", 1)[1]
        spellings = ["localhost", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::1]"]
        spellings += ["[::ffff:127.0.0.1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::1]", "0"]
        site.pages.update(
            {
                f"/to/{n}": redirect_to(f"http://{host}:{port}/secret")
                for n, host in enumerate(spellings)
            }
        )
        site.pages["/secret"] = page_of("text/plain", b"internal")
        for n in range(len(spellings)):
            with pytest.raises(OutboundError):
                fetch(f"{site.url}/to/{n}", allowed_hosts=frozenset(spellings))
        assert "/secret" not in [path for path, _ in site.hits]


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "2606:4700::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2002:808:808::1"]
)
def test_public_addresses_pass_in_every_form(address: str) -> None:
    assert outbound.is_public(ipaddress.ip_address(address))


PUBLIC = "93.184.215.14"  # never connected to: the tests stop every connection first


@pytest.fixture
def resolver(monkeypatch) -> list[list[str]]:
    """rebind.example answers each lookup with the next list of addresses (the last
    repeats); every other name is resolved as usual. The test fills the answers."""
    answers: list[list[str]] = []
    asked: list[list[str]] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        found = answers[min(len(asked), len(answers) - 1)]
        asked.append(found)
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[ipaddress.ip_address(a).version], socket.SOCK_STREAM, 6, "", (a, port))
            for a in found
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def connections(monkeypatch) -> list[tuple[str, int]]:
    """Records where the client connects; only 127.0.0.1 is really reached."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):
        made.append((address[0], address[1]))
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError("tests reach nothing but 127.0.0.1")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return made


def test_a_name_answering_public_then_private_addresses_is_refused(
    resolver: list[list[str]], connections: list[tuple[str, int]]
) -> None:
    resolver.append([PUBLIC, "127.0.0.1"])
    with pytest.raises(OutboundError) as refused:
        fetch("http://rebind.example/")
    assert refused.value.code == "blocked_address"
    assert connections == []


def test_rebinding_cannot_move_the_connection_to_a_private_address(
    unlisted: LocalSite, resolver: list[list[str]], connections: list[tuple[str, int]]
) -> None:
    """The name is public when checked and private afterwards: the connection goes to
    the address that was checked, never to a second answer."""
    port = int(unlisted.url.rsplit(":", 1)[1])
    resolver.extend([[PUBLIC], ["127.0.0.1"]])
    with pytest.raises(OutboundError) as refused:
        fetch(f"http://rebind.example:{port}/page", allowed_hosts=frozenset({"rebind.example"}))
    assert refused.value.code == "unreachable"
    assert connections == [(PUBLIC, port)]
    assert unlisted.hits == []
    # Asked again (a new fetch, or the next hop of a redirect), it is private: refused.
    with pytest.raises(OutboundError) as again:
        fetch(f"http://rebind.example:{port}/page", allowed_hosts=frozenset({"rebind.example"}))
    assert again.value.code == "blocked_address"
    assert connections == [(PUBLIC, port)] and unlisted.hits == []


def test_a_redirect_to_a_rebinding_name_is_checked_again(
    resolver: list[list[str]], connections: list[tuple[str, int]]
) -> None:
    resolver.append(["169.254.169.254"])
    site_pages = {"/go": redirect_to("http://rebind.example/latest/meta-data/")}
    with serve(site_pages) as site, pytest.raises(OutboundError) as refused:
        fetch(f"{site.url}/go")
    assert refused.value.code == "blocked_address"
    assert all(host == "127.0.0.1" for host, _ in connections)
