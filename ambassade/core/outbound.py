"""The one outbound HTTP client, with its guard against server-side request forgery.

Everything Ambassade fetches from a URL that a person typed or a feed returned (page
previews, feeds, images, social networks' APIs) goes through ``fetch``:

- only http and https, on their usual ports or any port of an explicitly allowed host;
- the host name is resolved once, every address is checked, and the connection goes to
  the checked address (the TLS name and Host header stay the original host), so a DNS
  answer cannot change between the check and the connection;
- private, loopback, link-local (cloud metadata at 169.254.169.254), multicast and
  reserved addresses are refused, unless the host is in ``OUTBOUND_ALLOWED_HOSTS``
  (operators) or in the ``allowed_hosts`` the caller passes (an organisation's admin);
- redirects are followed by hand, at most a few, and each hop is checked again;
- a time limit for the whole exchange and a size limit on the body.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

import ambassade

USER_AGENT = f"Ambassade/{ambassade.__version__} (+https://github.com/ambassade; link preview)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class OutboundError(Exception):
    """A fetch that did not succeed; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OutboundError("dns_failure", f"The name {host} could not be resolved.") from None
    addresses = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_url(url: str, allowed_hosts: frozenset[str] = frozenset()) -> tuple[str, str, int]:
    """Returns (host, checked address to connect to, port), or raises OutboundError."""
    if len(url) > 2048:
        raise OutboundError("invalid_url", "The address is longer than 2,048 characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise OutboundError("invalid_url", "This is not a valid web address.") from None
    if parts.scheme not in {"http", "https"}:
        raise OutboundError("invalid_url", "Only http:// and https:// addresses can be read.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise OutboundError("invalid_url", "The address has no host name.")
    if parts.username or parts.password:
        raise OutboundError("invalid_url", "Addresses with a user name or password are refused.")
    allowed = host in allowed_hosts or host in set(settings.OUTBOUND_ALLOWED_HOSTS)
    default_port = 443 if parts.scheme == "https" else 80
    port = port or default_port
    if port not in {80, 443, default_port} and not allowed:
        raise OutboundError("blocked_port", f"Port {port} is not allowed.")
    addresses = _resolve(host, port)
    if not allowed:
        for candidate in addresses:
            if not _is_public(ipaddress.ip_address(candidate.split("%")[0])):
                raise OutboundError(
                    "blocked_address",
                    f"{host} points to a private or reserved address; "
                    "an admin can allow this host.",
                )
    return host, addresses[0], port


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
    max_bytes: int | None = None,
    timeout: float | None = None,
    max_redirects: int = 5,
) -> Response:
    limit = max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES
    budget = timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS
    deadline = time.monotonic() + budget
    redirects: list[str] = []
    current = url
    with httpx.Client(http2=False, follow_redirects=False, trust_env=False) as client:
        while True:
            host, address, port = check_url(current, allowed_hosts)
            parts = urlsplit(current)
            netloc = f"[{address}]" if ":" in address else address
            if parts.port:
                netloc += f":{port}"
            pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OutboundError("timeout", f"{host} did not answer in {budget:g} seconds.")
            request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
            request_headers.update(headers or {})
            request_headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
            try:
                with client.stream(
                    method,
                    pinned,
                    headers=request_headers,
                    content=content,
                    timeout=httpx.Timeout(remaining),
                    extensions={"sni_hostname": host},
                ) as response:
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        if len(redirects) >= max_redirects:
                            raise OutboundError(
                                "too_many_redirects", "The page redirects too many times."
                            )
                        current = urljoin(current, response.headers["location"])
                        redirects.append(current)
                        if response.status_code == 303:
                            method, content = "GET", None
                        continue
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise OutboundError(
                            "too_large", f"The answer is larger than {limit:,} bytes."
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > limit:
                            raise OutboundError(
                                "too_large", f"The answer is larger than {limit:,} bytes."
                            )
                        if time.monotonic() > deadline:
                            raise OutboundError(
                                "timeout", f"{host} did not answer in {budget:g} seconds."
                            )
                    return Response(
                        current, response.status_code, response.headers, bytes(body), redirects
                    )
            except httpx.TimeoutException:
                raise OutboundError(
                    "timeout", f"{host} did not answer in {budget:g} seconds."
                ) from None
            except httpx.HTTPError as error:
                raise OutboundError(
                    "unreachable", f"{host} could not be reached ({type(error).__name__})."
                ) from None
