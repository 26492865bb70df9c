"""Mastodon: any instance, with no set-up by the organisation.

The person types their instance (``mastodon.social``, ``https://piaille.fr``,
``@alice@mastodon.social``); Ambassade registers itself on that instance once
(``POST /api/v1/apps``) and runs the OAuth authorisation-code flow with PKCE (S256,
honoured by Mastodon 4.3+ and ignored by older versions).

Storage of the app registration (the sharing app's job, not this module's)
--------------------------------------------------------------------------
``register_app(instance, redirect_uri)`` returns ``{"instance", "client_id",
"client_secret", "redirect_uri", "scopes"}``. The caller keeps one row per
(instance, redirect_uri) with the secret encrypted like any token, and hands it back
through ``config["app_for"]``: a callable ``app_for(instance, redirect_uri) -> dict``
that returns the stored registration or calls ``register_app`` and stores the result.
Both ``authorization_url`` and ``exchange_code`` must see the same registration, so in
production ``app_for`` should read from the database. Without it, this module keeps
registrations in Django's default cache (shared by every process with Redis, per process
with the local-memory cache): if an entry is evicted between the authorisation and the
callback, the exchange fails with ``NeedsReconnection`` and connecting again registers
a new app.
When the instance forgets the app (the token exchange answers 401 ``invalid_client``),
the stored row should be deleted and the person asked to connect again.

Scopes: ``write:statuses`` and ``read:accounts`` as the issue says, plus ``write:media``
(``POST /api/v2/media`` refuses a token without it) and ``read:statuses`` (a token
without it gets 403 on ``GET /api/v1/statuses/:id``, used for metrics).

Deleting a post is ``DELETE /api/v1/statuses/:id`` (404 or 410: already gone).

Credentials: ``secrets = {"access_token", "instance", "client_id"}``; Mastodon tokens
do not expire, so ``refresh`` returns them unchanged (a revoked token shows as 401).

Publishing sends ``Idempotency-Key: post.idempotency_key``: Mastodon answers a repeat
with the status it already created, but only once the first request has *finished*, and
only for an hour. So ``find_post`` never posts: it reads the account's recent statuses
(``GET /api/v1/accounts/:id/statuses``, public ones, newest first) and looks for the
post's tracked link (unique to each post) or, without a link, its text. A "not there"
is trusted only ``lookup_grace`` after the uncertain request, when it can no longer be
running.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import httpx
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.content.limits import URL_LENGTH
from ambassade.core.outbound import OutboundError, Response, fetch
from ambassade.sharing.networks.base import (
    CannotTell,
    ConnectsWithOAuth,
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
    json_body,
    outbound_failure,
    register,
    with_link,
)
from ambassade.sharing.networks.oauth import OAuth

SCOPES = "write:statuses write:media read:accounts read:statuses"
CLIENT_NAME = "Ambassade"
WEBSITE = "https://github.com/ambassade"
INSTANCE_HELP = gettext_lazy("Your Mastodon server, for example mastodon.social")
DEFAULT_WAIT = timedelta(minutes=5)
LOOKUP_PAGES = 5  # 40 statuses each: far more than a person posts between two tries
HREF = re.compile(r"""href=["']([^"']+)["']""")
TAG = re.compile(r"<[^>]+>")

_apps_lock = threading.Lock()


def normalise_instance(typed: str) -> str:
    """``https://host[:port]`` from what a person types: a host, a URL or a full handle."""
    value = typed.strip()
    if value.startswith("@") or ("@" in value and "://" not in value):
        value = value.rsplit("@", 1)[-1]
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Rejected(_("“%(typed)s” is not a Mastodon server address.") % {"typed": typed})
    host = parts.hostname.lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def _reason(response: Response) -> str:
    data = json_body(response)
    if isinstance(data, dict):
        for key in ("error_description", "error"):
            if isinstance(data.get(key), str) and data[key]:
                return str(data[key])
    return response.text()[:300] or f"HTTP {response.status}"


def _reset_time(response: Response) -> datetime:
    now = datetime.now(UTC)
    reset = response.headers.get("x-ratelimit-reset", "")
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdigit():
        return now + timedelta(seconds=int(retry_after))
    return now + DEFAULT_WAIT


def classify(outcome: Response | OutboundError, *, sending: bool = False) -> NetworkError:
    """The one place where Mastodon's failures become one of the four kinds.

    ``sending``: the request may have created something (a status), so a timeout or a
    broken connection after it left is uncertain.
    """
    if isinstance(outcome, OutboundError):
        return outbound_failure(outcome, sending=sending)
    status = outcome.status
    if status == 401:
        return NeedsReconnection(
            _("Mastodon no longer accepts this connection; please connect the account again.")
        )
    if status == 403:
        return NeedsReconnection(
            _("Mastodon refused the permission (%(reason)s); please connect the account again.")
            % {"reason": _reason(outcome)}
        )
    if status == 429:
        return RateLimited(_("Mastodon asks to wait before posting again."), _reset_time(outcome))
    if status in {404, 410}:
        return Gone(
            _("Mastodon no longer has this post (%(reason)s).") % {"reason": _reason(outcome)}
        )
    if status in {400, 413, 422}:
        return Rejected(_("Mastodon refused the post: %(reason)s") % {"reason": _reason(outcome)})
    return Transient(_("Mastodon answered with an error (HTTP %(status)s).") % {"status": status})


def compose(post: Post) -> str:
    """The status text: the message, with the tracked link appended unless already in it."""
    return with_link(post)


def _created(status: dict[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(status.get("created_at", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(content: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", content)).split())


def _same(status: dict[str, Any], post: Post) -> bool:
    """Whether a status of the account is this post: its tracked link is unique to it."""
    content = str(status.get("content") or "")
    if post.link:
        card = status.get("card") if isinstance(status.get("card"), dict) else {}
        links = {html.unescape(link) for link in HREF.findall(content)}
        return post.link in links or (card or {}).get("url") == post.link
    return _plain(content) == _plain(html.escape(compose(post)))


@register
class Mastodon(Network, ConnectsWithOAuth):
    rank: ClassVar[int] = 40
    code: ClassVar[str] = "mastodon"
    name: ClassVar[str] = "Mastodon"
    limits: ClassVar[Limits] = Limits(max_length=500, url_length=URL_LENGTH, short_mentions=True)
    needs_instance: ClassVar[bool] = True
    instance_example: ClassVar[str] = "mastodon.social"  # the placeholder people see
    # A status request still running when we timed out creates its status later.
    lookup_grace: ClassVar[timedelta] = timedelta(minutes=5)

    # -- HTTP ------------------------------------------------------------------------

    def _allowed(self) -> frozenset[str]:
        return frozenset(self.config.get("allowed_hosts", ()))

    def _call(
        self,
        url: str,
        *,
        method: str = "GET",
        token: str = "",
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        sending: bool = False,
    ) -> Any:
        request_headers = {"Accept": "application/json", **(headers or {})}
        if token:
            request_headers["Authorization"] = f"Bearer {token}"
        if payload is not None:
            request_headers["Content-Type"] = "application/json"
            content = json.dumps(payload).encode()
        try:
            response = fetch(
                url,
                method=method,
                headers=request_headers,
                content=content,
                allowed_hosts=self._allowed(),
                max_redirects=0 if method != "GET" else 3,
            )
        except OutboundError as error:
            raise classify(error, sending=sending) from None
        if not 200 <= response.status < 300:
            raise classify(response, sending=sending)
        data = json_body(response)
        if data is None and response.body:
            raise Transient(_("Mastodon answered with something that is not JSON."))
        return data

    # -- the app on each instance ------------------------------------------------------

    def register_app(self, instance: str, redirect_uri: str) -> dict[str, str]:
        """Registers Ambassade on the instance; the caller stores the result (see above)."""
        base = normalise_instance(instance)
        data = self._call(
            f"{base}/api/v1/apps",
            method="POST",
            payload={
                "client_name": CLIENT_NAME,
                # A string, not a list: Mastodon before 4.3, Pleroma, Akkoma and
                # GoToSocial accept only a string; 4.3+ accepts both.
                "redirect_uris": redirect_uri,
                "scopes": SCOPES,
                "website": self.config.get("website", WEBSITE),
            },
        )
        if not isinstance(data, dict) or not data.get("client_id"):
            raise Transient(_("The Mastodon server did not register the application."))
        return {
            "instance": base,
            "client_id": str(data["client_id"]),
            "client_secret": str(data.get("client_secret") or ""),
            "redirect_uri": redirect_uri,
            "scopes": SCOPES,
        }

    def _app(self, instance: str, redirect_uri: str) -> dict[str, str]:
        base = normalise_instance(instance)
        app_for = self.config.get("app_for")
        if app_for is not None:
            return dict(app_for(base, redirect_uri))
        key = (
            "sharing:mastodon-app:" + hashlib.sha256(f"{base} {redirect_uri}".encode()).hexdigest()
        )
        with _apps_lock:
            app = cache.get(key)
            if not isinstance(app, dict):
                app = self.register_app(base, redirect_uri)
                cache.set(key, app, timeout=None)
            return dict(app)

    # -- OAuth -----------------------------------------------------------------------

    def _oauth(self, app: dict[str, str]) -> OAuth:
        return OAuth(
            network_name=self.name,
            client_id=app["client_id"],
            client_secret=app["client_secret"],
            authorize_url=f"{app['instance']}/oauth/authorize",
            token_url=f"{app['instance']}/oauth/token",
            scope=SCOPES,
            classify=classify,
            allowed_hosts=self._allowed(),
            pkce=True,
            json_body=True,  # Mastodon documents its token request as JSON
        )

    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str:
        app = self._app(instance, redirect_uri)
        return self._oauth(app).authorization_url(
            redirect_uri=redirect_uri, state=state, code_verifier=code_verifier
        )

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials:
        app = self._app(instance, redirect_uri)
        token = self._oauth(app).exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        return Credentials(
            secrets={
                "access_token": str(token["access_token"]),
                "instance": app["instance"],
                "client_id": app["client_id"],
            }
        )

    # -- the Network interface -----------------------------------------------------------

    @staticmethod
    def _account(credentials: Credentials) -> tuple[str, str]:
        token = credentials.secrets.get("access_token", "")
        instance = credentials.secrets.get("instance", "")
        if not token or not instance:
            raise NeedsReconnection(_("This Mastodon account is not connected."))
        return normalise_instance(instance), token

    def refresh(self, credentials: Credentials) -> Credentials:
        self._account(credentials)
        return credentials  # Mastodon tokens do not expire; a revoked one answers 401

    def identity(self, credentials: Credentials) -> Identity:
        base, token = self._account(credentials)
        data = self._call(f"{base}/api/v1/accounts/verify_credentials", token=token)
        host = urlsplit(base).hostname or ""
        followers = data.get("followers_count")
        return Identity(
            remote_id=f"{data['id']}@{host}",
            handle=f"@{data.get('username') or data.get('acct')}@{host}",
            audience=followers if isinstance(followers, int) else None,
        )

    def instance_limits(self, instance: str) -> Limits:
        """The instance's own limits (``/api/v2/instance``); the default 500 when unknown."""
        try:
            data = self._call(f"{normalise_instance(instance)}/api/v2/instance")
            statuses = data["configuration"]["statuses"]
            return Limits(
                max_length=int(statuses.get("max_characters", self.limits.max_length)),
                url_length=int(statuses.get("characters_reserved_per_url", URL_LENGTH)),
            )
        except (NetworkError, KeyError, TypeError, ValueError):
            return self.limits

    def _upload(self, base: str, token: str, post: Post) -> str:
        media_type = post.image_type or "image/jpeg"
        extension = media_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
        encoded = httpx.Request(
            "POST",
            f"{base}/api/v2/media",
            files={"file": (f"image.{extension}", post.image or b"", media_type)},
            data={"description": post.title} if post.title else None,
        )
        data = self._call(
            f"{base}/api/v2/media",
            method="POST",
            token=token,
            headers={"Content-Type": encoded.headers["Content-Type"]},
            content=encoded.read(),
        )
        media_id = str(data["id"])
        # 202 with "url": null while the server processes the file; a status cannot
        # attach it before that, so wait a little (GET answers 206, then 200).
        polls = int(self.config.get("media_polls", 10))
        while data.get("url") is None and polls > 0:
            time.sleep(float(self.config.get("media_poll_seconds", 1.0)))
            data = self._call(f"{base}/api/v1/media/{media_id}", token=token)
            polls -= 1
        if data.get("url") is None:
            raise Transient(_("Mastodon is still processing the image; trying again later."))
        return media_id

    def publish(self, credentials: Credentials, post: Post) -> Published:
        base, token = self._account(credentials)
        payload: dict[str, Any] = {"status": compose(post), "visibility": "public"}
        if post.language:
            payload["language"] = post.language[:2].lower()
        if post.image:
            payload["media_ids"] = [self._upload(base, token, post)]
        headers = {"Idempotency-Key": post.idempotency_key} if post.idempotency_key else {}
        data = self._call(
            f"{base}/api/v1/statuses",
            method="POST",
            token=token,
            payload=payload,
            headers=headers,
            sending=True,
        )
        if not isinstance(data, dict) or not data.get("id"):
            raise Transient(_("Mastodon did not say which post it created."), uncertain=True)
        return Published(remote_id=str(data["id"]), url=str(data.get("url") or data.get("uri")))

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        """The account's status carrying this post's link (or text), read, never posted."""
        base, token = self._account(credentials)
        me = self._call(f"{base}/api/v1/accounts/verify_credentials", token=token)
        if not isinstance(me, dict) or not re.fullmatch(r"[0-9A-Za-z_-]+", str(me.get("id"))):
            raise CannotTell(_("Mastodon did not say which account this is."))
        query = {"limit": "40", "exclude_reblogs": "true", "exclude_replies": "true"}
        oldest = (since - timedelta(minutes=1)) if since else None
        for _page in range(LOOKUP_PAGES):
            statuses = self._call(
                f"{base}/api/v1/accounts/{me['id']}/statuses?{urlencode(query)}", token=token
            )
            if not isinstance(statuses, list):
                raise CannotTell(_("Mastodon answered with something that is not a list."))
            for found in statuses:
                if isinstance(found, dict) and _same(found, post):
                    return Published(
                        remote_id=str(found["id"]), url=str(found.get("url") or found["uri"])
                    )
            if len(statuses) < int(query["limit"]):
                return None  # the whole timeline was read
            last = statuses[-1]
            created = _created(last) if isinstance(last, dict) else None
            if oldest is not None and created is not None and created < oldest:
                return None  # read back to before the uncertain call
            query["max_id"] = str(last.get("id")) if isinstance(last, dict) else ""
        raise CannotTell(_("Too many statuses since the post to look it up."))

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        base, token = self._account(credentials)
        if not re.fullmatch(r"[0-9A-Za-z_-]+", published.remote_id):
            raise Rejected(_("This is not a Mastodon post id."))
        data = self._call(f"{base}/api/v1/statuses/{published.remote_id}", token=token)
        return Metrics(
            likes=data.get("favourites_count"),
            reposts=data.get("reblogs_count"),
            replies=data.get("replies_count"),
            impressions=None,  # Mastodon does not count views
        )

    def delete(self, credentials: Credentials, published: Published) -> None:
        base, token = self._account(credentials)
        if not re.fullmatch(r"[0-9A-Za-z_-]+", published.remote_id):
            raise Rejected(_("This is not a Mastodon post id."))
        self._call(f"{base}/api/v1/statuses/{published.remote_id}", method="DELETE", token=token)
