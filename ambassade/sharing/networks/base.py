"""The one interface every social network implements, and the four kinds of failure.

A network is one module in ``sharing/networks/`` that defines a subclass of ``Network``
and registers it with ``@register``. Nothing outside that module knows the network's
API: adding a network means adding a module, never a branch elsewhere.

Failures are always one of four kinds (``classify`` in each module maps the network's
errors to them in one place):

- ``NeedsReconnection``: the person must connect the account again (expired or revoked
  token, changed password). Publishing stops and tells the person.
- ``RateLimited(until)``: wait until that time, per account and per app.
- ``Rejected(reason)``: the network refused this post for good (too long, duplicate,
  forbidden content); the person sees the network's reason.
- ``Transient``: try again later with exponential backoff and jitter.

An *uncertain* outcome (a timeout after the request was sent) is not a failure kind:
``publish`` raises ``Transient(uncertain=True)`` and the engine then asks ``find_post``
rather than posting twice. ``find_post`` answers the post, ``None`` only when the network
positively says it is not there, or raises ``CannotTell``; the engine posts again only
after a ``None`` that comes ``lookup_grace`` or more after the uncertain call (see
docs/decisions/0013-uncertain-outcomes.md).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from ambassade.content import limits as text_limits
from ambassade.core import display
from ambassade.core.outbound import OutboundError, Response


class NetworkError(Exception):
    """Base of the four kinds; ``message`` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NeedsReconnection(NetworkError):
    pass


class RateLimited(NetworkError):
    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class Rejected(NetworkError):
    pass


class Gone(Rejected):
    """The network positively no longer has this post (HTTP 404 or 410, or its own
    "not found"): for a deletion, the post is *already gone*, not a failure."""


class Transient(NetworkError):
    def __init__(self, message: str, *, uncertain: bool = False) -> None:
        super().__init__(message)
        self.uncertain = uncertain  # the network may have accepted the post


class CannotTell(NetworkError):
    """``find_post`` cannot say whether the post exists (no way to list posts, a key
    the network forgot): the engine leaves the target "to verify", never posts again."""


def outbound_failure(error: OutboundError, *, sending: bool = False) -> NetworkError:
    """A request that got no answer, the same kind for every network: an address the
    guard refuses is rejected; anything else is transient, and uncertain while sending
    when the request may have reached the network (not when the connection failed)."""
    if error.code in {"invalid_url", "blocked_address", "blocked_port"}:
        return Rejected(error.message)
    uncertain = sending and error.code in {"timeout", "unreachable", "too_large"}
    uncertain = uncertain and "ConnectError" not in error.message
    return Transient(error.message, uncertain=uncertain)


def json_body(response: Response) -> Any:
    """The answer's JSON, or None when it is not JSON."""
    try:
        return json.loads(response.body or b"null")
    except ValueError:
        return None


@dataclass(frozen=True)
class Limits:
    max_length: int
    url_length: int | None  # a URL counts as this many characters (X, Mastodon: 23); None: as typed
    counts_graphemes: bool = False  # Bluesky counts grapheme clusters
    weighted: bool = False  # X counts wide characters (CJK, emoji) as 2
    short_mentions: bool = False  # Mastodon counts "@name@server" as "@name"


@dataclass
class Credentials:
    """What is stored, encrypted, for one connected account. Never logged, never returned."""

    secrets: dict[str, str] = field(default_factory=dict)  # tokens, app password, refresh token
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Identity:
    remote_id: str  # DID, account id, member URN...
    handle: str  # what the person recognises: @alice.bsky.social, @alice@mastodon.social
    audience: int | None = None  # followers or connections, when the network gives it


@dataclass(frozen=True)
class Post:
    text: str
    link: str  # the tracked link
    title: str = ""  # for the link card
    description: str = ""
    image: bytes | None = None
    image_type: str = ""
    idempotency_key: str = ""  # stable across retries of the same target
    language: str = ""


def with_link(post: Post) -> str:
    """The message with the tracked link appended unless already in it: what Bluesky, X
    and Mastodon show as the post's text."""
    text = post.text.rstrip()
    if post.link and post.link not in text:
        return f"{text}\n\n{post.link}" if text else post.link
    return text


@dataclass(frozen=True)
class Published:
    remote_id: str
    url: str


@dataclass(frozen=True)
class Metrics:
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    impressions: int | None = None


class Network(ABC):
    """One social network. Instances are cheap; ``config`` holds app credentials if any."""

    code: ClassVar[str]  # "bluesky", "mastodon", "linkedin", "x"
    name: ClassVar[str]  # the brand name, the same in every language
    limits: ClassVar[Limits]
    rank: ClassVar[int] = 100  # where the network comes in lists of every network
    # Connecting needs the organisation's app (a ``NetworkApp``: client id and secret,
    # entered by an admin on the sharing settings page).
    uses_organisation_app: ClassVar[bool] = False
    # The person names their server (a federated network: Mastodon).
    needs_instance: ClassVar[bool] = False
    # How long after a call that may have posted a "not there" from ``find_post`` can be
    # trusted: the network's reads may lag, or the first request may still be running.
    lookup_grace: ClassVar[timedelta] = timedelta(0)
    # How long before ``expires_at`` a call on the person's behalf refreshes first
    # (sharing/calls.py). A network whose long-lived tokens can only be extended while
    # valid asks for more, so the daily jobs keep an idle account connected.
    refresh_ahead: ClassVar[timedelta] = timedelta(minutes=5)

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or {}

    @classmethod
    def shown_text(cls, post: Post) -> str:
        """The text the network shows, exactly as ``publish`` sends it: the composer's
        preview and the length check read it (sharing/preview.py), so they cannot
        disagree with what is posted. Networks that show the link only as a card
        (LinkedIn) override it."""
        return with_link(post)

    @classmethod
    def renews_itself(cls, credentials: Credentials) -> bool:
        """Whether ``refresh`` can extend these credentials past their ``expires_at``
        without the person (otherwise they are warned before it: sharing/expiry.py)."""
        return True

    @abstractmethod
    def refresh(self, credentials: Credentials) -> Credentials:
        """Fresh credentials (a new session or access token), or NeedsReconnection."""

    @abstractmethod
    def identity(self, credentials: Credentials) -> Identity:
        """Who the account is, and its audience size where the network gives it."""

    @abstractmethod
    def publish(self, credentials: Credentials, post: Post) -> Published:
        """Publishes once; raises one of the four kinds on failure."""

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        """After an uncertain outcome: the post if it exists, ``None`` if the network
        positively says it does not, ``CannotTell`` otherwise (the default).

        ``since``: when the uncertain call started (nothing older can be the post).
        """
        raise CannotTell("This network gives no way to look a post up.")

    @abstractmethod
    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        """Engagement of a published post (what the network gives)."""

    @abstractmethod
    def delete(self, credentials: Credentials, published: Published) -> None:
        """Deletes a post published through Ambassade from the network.

        Raises ``Gone`` when the network no longer has it (deleted on the network itself,
        or by an earlier call whose answer was lost): the caller reports "already gone".
        Any other failure is one of the four kinds.
        """


REGISTRY: dict[str, type[Network]] = {}


def register(network: type[Network]) -> type[Network]:
    """Makes a network known everywhere: publishing, the composer's counts (content's
    rules, which sit below sharing), and the names people read for its code."""
    REGISTRY[network.code] = network
    limits = network.limits
    text_limits.declare(
        text_limits.Rule(
            code=network.code,
            name=network.name,
            limit=limits.max_length,
            url_length=limits.url_length,
            graphemes=limits.counts_graphemes,
            weighted=limits.weighted,
            short_mentions=limits.short_mentions,
            rank=network.rank,
        )
    )
    display.register("network", [(network.code, network.name)])
    return network


class ConnectsWithPassword(ABC):
    """Networks the person connects by typing credentials (Bluesky: handle, app password, PDS)."""

    connect_fields: ClassVar[list[str]]

    @abstractmethod
    def login(self, fields: dict[str, str]) -> Credentials:
        """Checks the fields against the network; raises Rejected with a clear reason."""


class ConnectsWithOAuth(ABC):
    """Networks the person connects through the authorisation-code flow (PKCE where supported).

    ``state`` and ``code_verifier`` are generated and kept by the sharing app's views;
    the module only builds the URL and exchanges the code.
    """

    @abstractmethod
    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str: ...

    @abstractmethod
    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials: ...
