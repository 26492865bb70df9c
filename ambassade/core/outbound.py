"""The one outbound HTTP client, with its guard against server-side request forgery.

Everything Ambassade fetches from a URL that a person typed or a feed returned (page
previews, feeds, images, social networks' APIs) goes through ``fetch``:

- only http and https, on their usual ports; an organisation's admins may name public
  hosts (``allowed_hosts``, the content settings) that may also be read on other ports;
- the host name is resolved once, every address is checked, and the connection goes to
  the checked address (the TLS name and Host header stay the original host), so a DNS
  answer cannot change between the check and the connection (rebinding);
- only globally reachable unicast addresses pass: private, loopback, link-local (cloud
  metadata at 169.254.169.254), shared (CGNAT), multicast, reserved and unspecified ones
  are refused, and so are the IPv6 forms that carry such an IPv4 address (IPv4-mapped
  and -compatible, NAT64, 6to4) and Teredo;
- an intranet host is reached only when the operator names it, with its port, in
  ``OUTBOUND_ALLOWED_HOSTS`` (``intranet.example.com:8080``); an organisation's list never
  opens a private address, whatever it says;
- redirects are followed by hand, at most a few, and each hop is checked again;
- a time limit for the whole exchange and a size limit on the body.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

import ambassade
from ambassade.core.config import parse_host_port

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


# Ranges the ``ipaddress`` module has no property for.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: a network's own translator
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291, deprecated; also :: and ::1

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for, when a translator or tunnel would reach it."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """Whether an address may be fetched: globally reachable unicast, nothing else."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo is not None or address in LOCAL_NAT64 or address in IPV4_COMPATIBLE:
            # Teredo hides its client's address; the others are not routed on the internet.
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _ends_in_a_number(host: str) -> bool:
    # The WHATWG URL standard reads such a host as an IPv4 address (127.1, 2130706433,
    # 0x7f.0.0.1, 0177.0.0.1), as does the C resolver's inet_aton.
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or (last.startswith("0x") and all(c in "0123456789abcdef" for c in last[2:])):
        return True
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def is_ip_literal(host: str) -> bool:
    """An IP address written in any notation: dotted, decimal, hex, octal, short, IPv6."""
    host = host.strip().lower().strip("[]")
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return _ends_in_a_number(host)
    return True


# Names that never designate a public host (RFC 6761, 6762, 8375, 9476; ICANN's .internal).
LOCAL_SUFFIXES = ("localhost", "localdomain", "local", "internal", "home.arpa", "alt", "invalid")


def is_local_name(host: str) -> bool:
    host = host.strip().lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in LOCAL_SUFFIXES)


def operator_allows(host: str, port: int) -> bool:
    """Whether the operator opened this host and port (``OUTBOUND_ALLOWED_HOSTS``)."""
    return (host, port) in {parse_host_port(entry) for entry in settings.OUTBOUND_ALLOWED_HOSTS}


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise OutboundError(
            "dns_failure", _("The name %(host)s could not be resolved.") % {"host": host}
        ) from None
    addresses = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_url(url: str, allowed_hosts: frozenset[str] = frozenset()) -> tuple[str, str, int]:
    """Returns (host, checked address to connect to, port), or raises OutboundError.

    ``allowed_hosts``: the organisation's public hosts, which may be read on any port;
    their addresses are checked like any other.
    """
    if len(url) > 2048:
        raise OutboundError("invalid_url", _("The address is longer than 2,048 characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise OutboundError("invalid_url", _("This is not a valid web address.")) from None
    if parts.scheme not in {"http", "https"}:
        raise OutboundError("invalid_url", _("Only http:// and https:// addresses can be read."))
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise OutboundError("invalid_url", _("The address has no host name."))
    if parts.username or parts.password:
        raise OutboundError("invalid_url", _("Addresses with a user name or password are refused."))
    default_port = 443 if parts.scheme == "https" else 80
    port = port or default_port
    if operator_allows(host, port):
        # The operator vouches for this host and port: an intranet address is expected.
        return host, _resolve(host, port)[0], port
    public_names = {
        name for name in allowed_hosts if not (is_ip_literal(name) or is_local_name(name))
    }
    if port not in {80, 443, default_port} and host not in public_names:
        raise OutboundError("blocked_port", _("Port %(port)s is not allowed.") % {"port": port})
    addresses = _resolve(host, port)
    for candidate in addresses:
        if not is_public(ipaddress.ip_address(candidate.split("%")[0])):
            raise OutboundError(
                "blocked_address",
                _(
                    "%(host)s points to a private or reserved address; only the operator "
                    "can allow an intranet host (OUTBOUND_ALLOWED_HOSTS)."
                )
                % {"host": host},
            )
    return host, addresses[0], port


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificate store, loaded once per process: httpx builds a new context for every
    client otherwise, which took 76 ms of CPU a request on the development machine (more
    than the request to a local Bluesky server itself). A context is safe to share."""
    return httpx.create_ssl_context(trust_env=False)


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
    with httpx.Client(
        http2=False, follow_redirects=False, trust_env=False, verify=_tls()
    ) as client:
        while True:
            host, address, port = check_url(current, allowed_hosts)
            parts = urlsplit(current)
            netloc = f"[{address}]" if ":" in address else address
            if parts.port:
                netloc += f":{port}"
            pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OutboundError(
                    "timeout",
                    _("%(host)s did not answer in %(seconds)s seconds.")
                    % {"host": host, "seconds": f"{budget:g}"},
                )
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
                                "too_many_redirects", _("The page redirects too many times.")
                            )
                        current = urljoin(current, response.headers["location"])
                        redirects.append(current)
                        if response.status_code == 303:
                            method, content = "GET", None
                        continue
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise OutboundError(
                            "too_large",
                            _("The answer is larger than %(limit)s bytes.")
                            % {"limit": f"{limit:,}"},
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > limit:
                            raise OutboundError(
                                "too_large",
                                _("The answer is larger than %(limit)s bytes.")
                                % {"limit": f"{limit:,}"},
                            )
                        if time.monotonic() > deadline:
                            raise OutboundError(
                                "timeout",
                                _("%(host)s did not answer in %(seconds)s seconds.")
                                % {"host": host, "seconds": f"{budget:g}"},
                            )
                    return Response(
                        current, response.status_code, response.headers, bytes(body), redirects
                    )
            except httpx.TimeoutException:
                raise OutboundError(
                    "timeout",
                    _("%(host)s did not answer in %(seconds)s seconds.")
                    % {"host": host, "seconds": f"{budget:g}"},
                ) from None
            except httpx.HTTPError as error:
                raise OutboundError(
                    "unreachable",
                    _("%(host)s could not be reached (%(error)s).")
                    % {"host": host, "error": type(error).__name__},
                ) from None
