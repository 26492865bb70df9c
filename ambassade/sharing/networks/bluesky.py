"""Bluesky (AT Protocol): app password sessions, posts with a link facet and a link card.

- Connect: ``com.atproto.server.createSession`` on the person's PDS (default
  https://bsky.social) with their handle and an *app password*; refreshed with
  ``com.atproto.server.refreshSession`` (and, when the refresh token has expired, a new
  session from the stored app password).
- Publish: ``com.atproto.repo.createRecord`` with a record key derived from the
  target's idempotency key, so a retry can never create a second post: after an
  uncertain outcome, ``find_post`` reads that key back with ``getRecord`` (a second
  ``createRecord`` with an existing key fails: HTTP 500 on the reference PDS).
- Delete: ``com.atproto.repo.deleteRecord`` of the post's record key, after a
  ``getRecord`` that tells "already gone" apart (the PDS answers a deletion of a
  missing record with success, deletions being idempotent in the AT Protocol).
- Text: 300 graphemes; the link is a facet whose offsets are UTF-8 *byte* offsets;
  the card is an ``app.bsky.embed.external`` with the image uploaded by ``uploadBlob``.

Every request goes through ``core.outbound.fetch`` (the SSRF guard): a PDS address
typed by a person is checked like any other; ``config["allowed_hosts"]`` carries the
public hosts the organisation allows on other ports (an intranet PDS needs the operator's
``OUTBOUND_ALLOWED_HOSTS``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from django.utils.translation import gettext as _

from ambassade.content import limits as text_limits
from ambassade.core.outbound import OutboundError, fetch
from ambassade.sharing.networks.base import (
    ConnectsWithPassword,
    Credentials,
    Gone,
    Identity,
    Limits,
    Metrics,
    NeedsReconnection,
    Network,
    NetworkError,
    Post,
    Published,
    RateLimited,
    Rejected,
    Transient,
    register,
    with_link,
)

DEFAULT_PDS = "https://bsky.social"
POST_COLLECTION = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(idempotency_key: str) -> str:
    """A valid TID-shaped record key (13 base32-sortable characters), the same every time.

    The top bit is 0 as the TID syntax requires, so the first character is in [2-j].
    """
    digest = hashlib.sha256(f"ambassade-rkey:{idempotency_key}".encode()).digest()
    number = int.from_bytes(digest[:8], "big") & ((1 << 63) - 1)
    chars = []
    for _index in range(13):
        chars.append(TID_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def compose(post: Post) -> tuple[str, list[dict[str, Any]]]:
    """The post's text (the link appended when absent) and its link facet, in UTF-8 bytes."""
    text = with_link(post)
    facets: list[dict[str, Any]] = []
    if post.link:
        start_chars = text.rfind(post.link)
        start = len(text[:start_chars].encode("utf-8"))
        end = start + len(post.link.encode("utf-8"))
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": post.link}],
            }
        )
    return text, facets


def _error_body(body: bytes) -> tuple[str, str]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("error") or ""), str(data.get("message") or "")


def classify(status: int, body: bytes, headers: Any = None, *, sent: bool = True) -> NetworkError:
    """The one mapping from Bluesky's answers to the four kinds of failure."""
    error, message = _error_body(body)
    detail = message or error or f"HTTP {status}"
    if error in {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AccountTakedown"}:
        return NeedsReconnection(_("Bluesky needs you to connect again (%s).") % detail)
    if status == 401:
        return NeedsReconnection(_("Bluesky needs you to connect again (%s).") % detail)
    if status == 429:
        reset = (headers or {}).get("ratelimit-reset", "")
        try:
            until = datetime.fromtimestamp(int(reset), UTC)
        except (TypeError, ValueError):
            until = datetime.now(UTC).replace(microsecond=0)
            until = until.fromtimestamp(until.timestamp() + 60, UTC)
        return RateLimited(_("Bluesky asks to wait (%s).") % detail, until)
    if status >= 500:
        return Transient(_("Bluesky did not answer correctly (%s).") % detail, uncertain=sent)
    if error == "RecordNotFound":
        return RecordNotFound(_("Bluesky refused: %s") % detail)
    return Rejected(_("Bluesky refused: %s") % detail)


class RecordNotFound(Gone):
    """The repository positively has no such record (what ``find_post`` relies on)."""


SESSION = ("pds_url", "did", "access_jwt")


def _session(credentials: Credentials) -> tuple[str, str, str]:
    """(PDS, DID, access token) of a stored session, or "connect again" without a call."""
    secrets = credentials.secrets
    if not all(secrets.get(key) for key in SESSION):
        raise NeedsReconnection(_("No Bluesky session is stored: connect again."))
    return secrets["pds_url"], secrets["did"], secrets["access_jwt"]


@register
class Bluesky(Network, ConnectsWithPassword):
    code = "bluesky"
    name = "Bluesky"
    rank = 30
    limits = Limits(max_length=300, url_length=None, counts_graphemes=True)
    connect_fields: ClassVar[list[str]] = ["handle", "app_password", "pds_url"]

    # --- HTTP -----------------------------------------------------------------------------

    def _call(
        self,
        pds: str,
        method: str,
        nsid: str,
        *,
        token: str = "",
        body: Any = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
        query: dict[str, str] | None = None,
        writes: bool = False,
    ) -> dict[str, Any]:
        url = f"{pds.rstrip('/')}/xrpc/{nsid}"
        if query:
            url += "?" + urlencode(query)
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        content = raw
        if body is not None:
            content = json.dumps(body).encode()
        if content is not None:
            headers["Content-Type"] = content_type
        try:
            response = fetch(
                url,
                method=method,
                headers=headers,
                content=content,
                allowed_hosts=frozenset(self.config.get("allowed_hosts", ())),
                max_redirects=0,
            )
        except OutboundError as error:
            # Refused before sending (address, DNS) is certain; a timeout is not.
            uncertain = writes and error.code in {"timeout", "unreachable"}
            if error.code in {"blocked_address", "blocked_port", "invalid_url"}:
                raise Rejected(error.message) from None
            raise Transient(error.message, uncertain=uncertain) from None
        if response.status >= 400:
            raise classify(response.status, response.body, response.headers, sent=writes)
        try:
            data: dict[str, Any] = json.loads(response.body or b"{}")
        except ValueError:
            raise Transient(_("Bluesky answered something that is not JSON.")) from None
        return data

    @staticmethod
    def _secrets(session: dict[str, Any], pds: str, app_password: str) -> Credentials:
        return Credentials(
            secrets={
                "pds_url": pds,
                "did": str(session["did"]),
                "handle": str(session.get("handle", "")),
                "access_jwt": str(session["accessJwt"]),
                "refresh_jwt": str(session["refreshJwt"]),
                "app_password": app_password,
            }
        )

    # --- Connecting -----------------------------------------------------------------------

    def login(self, fields: dict[str, str]) -> Credentials:
        handle = (fields.get("handle") or "").strip().lstrip("@")
        password = (fields.get("app_password") or "").strip()
        pds = (fields.get("pds_url") or DEFAULT_PDS).strip().rstrip("/")
        if not handle or not password:
            raise Rejected(_("Type your Bluesky handle and an app password."))
        parts = urlsplit(pds)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise Rejected(_("The server address must start with https://."))
        try:
            session = self._call(
                pds,
                "POST",
                "com.atproto.server.createSession",
                body={"identifier": handle, "password": password},
            )
        except NeedsReconnection:
            raise Rejected(_("Bluesky refused this handle and app password: check both.")) from None
        return self._secrets(session, pds, password)

    def refresh(self, credentials: Credentials) -> Credentials:
        secrets = credentials.secrets
        pds = secrets.get("pds_url", "")
        if not pds or not secrets.get("did"):
            raise NeedsReconnection(_("No Bluesky session is stored: connect again."))
        try:
            if not secrets.get("refresh_jwt"):
                raise NeedsReconnection("no refresh token")
            session = self._call(
                pds, "POST", "com.atproto.server.refreshSession", token=secrets["refresh_jwt"]
            )
        except (NeedsReconnection, Rejected):
            # The refresh token expired too: a new session from the app password, if valid.
            try:
                session = self._call(
                    pds,
                    "POST",
                    "com.atproto.server.createSession",
                    body={
                        "identifier": secrets.get("did", ""),
                        "password": secrets.get("app_password", ""),
                    },
                )
            except (NeedsReconnection, Rejected):
                raise NeedsReconnection(
                    _("Bluesky no longer accepts this app password: connect again.")
                ) from None
        return self._secrets(session, pds, secrets.get("app_password", ""))

    def identity(self, credentials: Credentials) -> Identity:
        pds, did, token = _session(credentials)
        audience = None
        try:
            profile = self._call(
                pds, "GET", "app.bsky.actor.getProfile", token=token, query={"actor": did}
            )
            count = profile.get("followersCount")
            audience = int(count) if isinstance(count, int) else None
        except (Rejected, Transient):
            audience = None  # no AppView behind this PDS: the audience is unknown
        handle = credentials.secrets.get("handle", "")
        return Identity(remote_id=did, handle=f"@{handle}", audience=audience)

    # --- Publishing -----------------------------------------------------------------------

    def _url(self, credentials: Credentials, rkey: str) -> str:
        handle = credentials.secrets.get("handle") or credentials.secrets.get("did", "")
        return f"https://bsky.app/profile/{handle}/post/{rkey}"

    def _embed(self, credentials: Credentials, post: Post) -> dict[str, Any]:
        external: dict[str, Any] = {
            "uri": post.link,
            "title": post.title[:300],
            "description": post.description[:1000],
        }
        if post.image:
            secrets = credentials.secrets
            uploaded = self._call(
                secrets["pds_url"],
                "POST",
                "com.atproto.repo.uploadBlob",
                token=secrets["access_jwt"],
                raw=post.image,
                content_type=post.image_type or "image/jpeg",
            )
            if "blob" in uploaded:
                external["thumb"] = uploaded["blob"]
        return {"$type": "app.bsky.embed.external", "external": external}

    def publish(self, credentials: Credentials, post: Post) -> Published:
        _session(credentials)
        text, facets = compose(post)
        if text_limits.graphemes(text) > self.limits.max_length:
            raise Rejected(
                _("The post is longer than %(limit)d characters on Bluesky.")
                % {"limit": self.limits.max_length}
            )
        secrets = credentials.secrets
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        if facets:
            record["facets"] = facets
        if post.link:
            record["embed"] = self._embed(credentials, post)
        if post.language:
            record["langs"] = [post.language]
        rkey = record_key(post.idempotency_key)
        created = self._call(
            secrets["pds_url"],
            "POST",
            "com.atproto.repo.createRecord",
            token=secrets["access_jwt"],
            body={
                "repo": secrets["did"],
                "collection": POST_COLLECTION,
                "rkey": rkey,
                "record": record,
            },
            writes=True,
        )
        return Published(remote_id=str(created.get("uri", "")), url=self._url(credentials, rkey))

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        """The record under the key derived from the idempotency key: the PDS reads its
        own repository, so "not there" is certain at once (no grace period)."""
        pds, did, token = _session(credentials)
        rkey = record_key(post.idempotency_key)
        try:
            found = self._call(
                pds,
                "GET",
                "com.atproto.repo.getRecord",
                token=token,
                query={"repo": did, "collection": POST_COLLECTION, "rkey": rkey},
            )
        except RecordNotFound:
            return None  # the first attempt never reached the repository
        return Published(remote_id=str(found.get("uri", "")), url=self._url(credentials, rkey))

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        pds, _did, token = _session(credentials)
        try:
            answer = self._call(
                pds,
                "GET",
                "app.bsky.feed.getPosts",
                token=token,
                query={"uris": published.remote_id},
            )
        except (Rejected, Transient):
            return Metrics()  # the PDS has no AppView to count likes: unknown, not zero
        posts = answer.get("posts") or []
        if not posts:
            return Metrics()
        first = posts[0]
        return Metrics(
            likes=first.get("likeCount"),
            reposts=first.get("repostCount"),
            replies=first.get("replyCount"),
        )

    def delete(self, credentials: Credentials, published: Published) -> None:
        pds, did, token = _session(credentials)
        prefix = f"at://{did}/{POST_COLLECTION}/"
        rkey = published.remote_id.removeprefix(prefix)
        if not published.remote_id.startswith(prefix) or not rkey or "/" in rkey:
            raise Rejected(_("This post is not one of this Bluesky account's posts."))
        where = {"repo": did, "collection": POST_COLLECTION, "rkey": rkey}
        # Raises RecordNotFound (a Gone) when the record was deleted already.
        self._call(pds, "GET", "com.atproto.repo.getRecord", token=token, query=where)
        self._call(pds, "POST", "com.atproto.repo.deleteRecord", token=token, body=where)
