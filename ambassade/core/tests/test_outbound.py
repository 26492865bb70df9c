"""The outbound client refuses what could reach inside the network, and limits the rest.

A local HTTP server stands in for the web; it is on 127.0.0.1, so tests allow that host
explicitly, exactly as an admin would allow an intranet host.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ambassade.core.outbound import OutboundError, check_url, fetch
from ambassade.testing.local_site import Page, page_of, redirect_to, serve

LOCAL = frozenset({"127.0.0.1", "localhost"})


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
    response = fetch(f"{site}/page", allowed_hosts=LOCAL)
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.text() == "<title>Été</title>"


def test_the_host_header_is_the_original_name_not_the_address(site: str) -> None:
    port = site.rsplit(":", 1)[1]
    response = fetch(f"http://localhost:{port}/host", allowed_hosts=LOCAL)
    assert response.text() == f"localhost:{port}"


def test_loopback_is_refused_unless_allowed(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/page")
    assert refused.value.code in {"blocked_address", "blocked_port"}


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
    with pytest.raises(OutboundError) as refused:
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
    response = fetch(f"{site}/to-page", allowed_hosts=LOCAL)
    assert response.url == f"{site}/page"
    assert response.redirects == [f"{site}/page"]
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/to-metadata", allowed_hosts=LOCAL)
    assert refused.value.code == "blocked_address"


def test_redirect_loops_stop(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/loop", allowed_hosts=LOCAL)
    assert refused.value.code == "too_many_redirects"


def test_oversized_answers_are_cut(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/big", allowed_hosts=LOCAL, max_bytes=10_000)
    assert refused.value.code == "too_large"


def test_slow_answers_time_out(site: str) -> None:
    with pytest.raises(OutboundError) as refused:
        fetch(f"{site}/slow", allowed_hosts=LOCAL, timeout=0.5)
    assert refused.value.code == "timeout"


def test_unknown_names_are_reported(settings) -> None:
    with pytest.raises(OutboundError) as refused:
        check_url("http://does-not-exist.invalid/")
    assert refused.value.code == "dns_failure"


def test_operators_can_allow_a_host_for_everyone(site: str, settings) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch(f"{site}/page").status == 200
