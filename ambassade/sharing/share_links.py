"""Share links: "open in <network>" for networks a person cannot post to through an API.

Facebook, WhatsApp, Xing, Telegram, Reddit and e-mail have no API for a person's own
posts that Ambassade could use; LinkedIn and X have one, but only when the organisation
configured an app. For all of them the composer offers a link that opens the network's
own share page, prefilled with the tracked link and, where the network takes it, the
message. The share is recorded as declared; the tracked link shows whether it was used.

Every value is percent-encoded with ``quote(..., safe="")`` (spaces as ``%20``, never
``+``, which ``mailto:`` would show as a plus sign), so accents, emoji, ``&`` and ``#``
in a message cannot break the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class ShareNetwork:
    code: str
    name: str | Promise
    takes_text: bool  # whether the share page is prefilled with the message


def _q(value: str) -> str:
    return quote(value, safe="")


def _with_link(text: str, url: str) -> str:
    """The message followed by the link, unless the message already holds it."""
    if not text:
        return url
    return text if url in text else f"{text}\n\n{url}"


def _without_link(text: str, url: str) -> str:
    return text.replace(url, "").strip() if url else text


def _linkedin(url: str, text: str, title: str) -> str:
    return f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"


def _x(url: str, text: str, title: str) -> str:
    # X appends the url parameter itself; a link already in the text would show twice.
    return f"https://x.com/intent/post?text={_q(_without_link(text, url))}&url={_q(url)}"


def _facebook(url: str, text: str, title: str) -> str:
    return f"https://www.facebook.com/sharer/sharer.php?u={_q(url)}"


def _whatsapp(url: str, text: str, title: str) -> str:
    return f"https://wa.me/?text={_q(_with_link(text, url))}"


def _xing(url: str, text: str, title: str) -> str:
    return f"https://www.xing.com/spi/shares/new?url={_q(url)}"


def _telegram(url: str, text: str, title: str) -> str:
    return f"https://t.me/share/url?url={_q(url)}&text={_q(_without_link(text, url))}"


def _reddit(url: str, text: str, title: str) -> str:
    subject = title or _without_link(text, url)
    return f"https://www.reddit.com/submit?url={_q(url)}&title={_q(subject)}"


def _email(url: str, text: str, title: str) -> str:
    query = f"body={_q(_with_link(text, url))}"
    if title:
        query = f"subject={_q(title)}&{query}"
    return f"mailto:?{query}"


_BUILDERS: dict[str, tuple[ShareNetwork, Callable[[str, str, str], str]]] = {
    "linkedin": (ShareNetwork("linkedin", "LinkedIn", False), _linkedin),
    "x": (ShareNetwork("x", "X", True), _x),
    "facebook": (ShareNetwork("facebook", "Facebook", False), _facebook),
    "whatsapp": (ShareNetwork("whatsapp", "WhatsApp", True), _whatsapp),
    "xing": (ShareNetwork("xing", "XING", False), _xing),
    "telegram": (ShareNetwork("telegram", "Telegram", True), _telegram),
    "reddit": (ShareNetwork("reddit", "Reddit", True), _reddit),
    "email": (ShareNetwork("email", gettext_lazy("E-mail"), True), _email),
}

# In the order the composer shows them.
SHARE_NETWORKS: list[ShareNetwork] = [network for network, _ in _BUILDERS.values()]


def share_networks() -> list[ShareNetwork]:
    """The networks a share link can be built for, with their display names."""
    return list(SHARE_NETWORKS)


def share_link(network: str, url: str, text: str, title: str = "") -> str:
    """The "open in <network>" address, prefilled with the tracked ``url`` and ``text``.

    Raises ``KeyError`` for a network with no share link.
    """
    if network not in _BUILDERS:
        raise KeyError(network)
    return _BUILDERS[network][1](url, text, title)
