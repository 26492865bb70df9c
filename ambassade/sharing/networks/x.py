"""X (formerly Twitter): the organisation's developer app, each person's own account.

An admin creates a developer app with OAuth 2.0 as a *confidential client* and enters
its client id and secret (``config["client_id"]``, ``config["client_secret"]``). Each
person then authorises with the authorisation-code flow and PKCE (S256), scopes
``tweet.read tweet.write users.read offline.access``; ``offline.access`` gives a refresh
token. Access tokens last two hours and each refresh returns a *new* refresh token (the
old one stops working): the engine must store the returned credentials at once and
never refresh one account in two workers at the same time.

X has no idempotency key: after an uncertain outcome ``find_post`` reads the account's
posts since the call and looks for the same text (links are compared as links, since X
rewrites them to t.co); a "not there" counts only ``lookup_grace`` after the call.

Deleting a post is ``DELETE /2/tweets/:id``; X answers ``{"data": {"deleted": false}}``
or a "resource not found" problem for a post it no longer has: already gone.

Images are not attached (media upload needs another scope and paid calls); the link
card X draws from the page's Open Graph tags shows the picture.

``config["api_base"]`` (default ``https://api.x.com``) and ``config["authorize_url"]``
exist so tests can point the module at a local server.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.content.limits import URL, URL_LENGTH
from ambassade.core.outbound import OutboundError, Response, fetch
from ambassade.sharing.networks import oauth
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
from ambassade.sharing.networks.oauth import OAuth, pkce_challenge, require_app

__all__ = ["PRICING_NOTE", "SCOPES", "X", "classify", "compose", "pkce_challenge"]

API_BASE = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
SCOPES = "tweet.read tweet.write users.read offline.access"
TOKEN_TIMEOUT_SECONDS = 30  # the token endpoint's answer cannot be asked for twice
DEFAULT_WAIT = timedelta(minutes=15)  # X's rate-limit windows are 15 minutes
LOOKUP_PAGES = 3  # of 100 posts each

# Shown to the admin on the page where X's app credentials are entered.
PRICING_NOTE = gettext_lazy(
    "X charges the organisation's developer account for every post published through "
    "its API, and charges more for a post that contains a link. Every post an "
    "ambassador shares on X through Ambassade is billed to the app whose keys you "
    "enter here. Without keys, ambassadors can still share on X with a share link, "
    "at no cost."
)


def _reason(response: Response) -> str:
    """X's own words: a problem's ``detail``, the first error's ``message``, or OAuth's."""
    data = json_body(response)
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message") or errors[0].get("detail")
            if message:
                return str(message)
        for key in ("detail", "error_description", "title", "error"):
            if isinstance(data.get(key), str) and data[key]:
                return str(data[key])
    return response.text()[:300] or f"HTTP {response.status}"


def _first(problems: list[dict[str, Any]]) -> str:
    return str(problems[0].get("detail") or problems[0].get("title") or "")


def _epoch(value: str) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value.strip().isdigit() else None


def _reset_time(response: Response) -> datetime:
    headers = response.headers
    if headers.get("x-user-limit-24hour-remaining") == "0":
        daily = _epoch(headers.get("x-user-limit-24hour-reset", ""))
        if daily:
            return daily
    reset = _epoch(headers.get("x-rate-limit-reset", ""))
    if reset:
        return reset
    retry_after = headers.get("retry-after", "")
    if retry_after.isdigit():
        return datetime.now(UTC) + timedelta(seconds=int(retry_after))
    return datetime.now(UTC) + DEFAULT_WAIT


def classify(outcome: Response | OutboundError, *, sending: bool = False) -> NetworkError:
    """The one place where X's failures become one of the four kinds.

    A 401 reaches here after the engine already tried ``refresh`` (or from the token
    endpoint itself): the person must connect again.
    """
    if isinstance(outcome, OutboundError):
        return outbound_failure(outcome, sending=sending)
    status = outcome.status
    reason = _reason(outcome)
    token_endpoint = urlsplit(outcome.url).path.endswith("/oauth2/token")
    if status == 401 or (token_endpoint and status == 400):  # refused code or refresh token
        return NeedsReconnection(
            _("X no longer accepts this connection; please connect the account again.")
        )
    if status == 429:
        return RateLimited(_("X asks to wait before posting again."), _reset_time(outcome))
    if status in {404, 410}:
        return Gone(_("X no longer has this post (%(reason)s).") % {"reason": reason})
    if status in {400, 402, 403, 409, 413, 422}:
        return Rejected(_("X refused the post: %(reason)s") % {"reason": reason})
    return Transient(_("X answered with an error (HTTP %(status)s).") % {"status": status})


def compose(post: Post) -> str:
    """The post's text: the message, with the tracked link appended unless already in it."""
    return with_link(post)


def _comparable(text: str) -> str:
    """Text as X gives it back (HTML entities, t.co links) compared with what was sent."""
    return " ".join(URL.sub("<link>", html.unescape(text)).split())


@register
class X(Network, ConnectsWithOAuth):
    rank: ClassVar[int] = 20
    uses_organisation_app: ClassVar[bool] = True
    code: ClassVar[str] = "x"
    name: ClassVar[str] = "X"
    limits: ClassVar[Limits] = Limits(max_length=280, url_length=URL_LENGTH, weighted=True)
    lookup_grace: ClassVar[timedelta] = timedelta(minutes=5)  # timelines lag behind posts
    pricing_note = PRICING_NOTE

    # -- HTTP ------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return str(self.config.get("api_base") or API_BASE).rstrip("/")

    def _call(
        self,
        path: str,
        *,
        method: str = "GET",
        token: str = "",
        query: dict[str, str] | None = None,
        payload: dict[str, Any] | None = None,
        sending: bool = False,
    ) -> Any:
        url = f"{self.api_base}{path}"
        if query:
            url += f"?{urlencode(query)}"
        headers = {"Accept": "application/json"}
        content = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if payload is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(payload).encode()
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
            raise classify(error, sending=sending) from None
        if not 200 <= response.status < 300:
            raise classify(response, sending=sending)
        data = json_body(response)
        if not isinstance(data, dict):
            raise Transient(_("X answered with something that is not JSON."), uncertain=sending)
        return data

    # -- OAuth -----------------------------------------------------------------------

    def _oauth(self) -> OAuth:
        require_app(self.config, self.name)
        return OAuth(
            network_name=self.name,
            client_id=str(self.config["client_id"]),
            client_secret=str(self.config["client_secret"]),
            authorize_url=str(self.config.get("authorize_url") or AUTHORIZE_URL),
            token_url=f"{self.api_base}/2/oauth2/token",
            scope=SCOPES,
            classify=classify,
            allowed_hosts=frozenset(self.config.get("allowed_hosts", ())),
            # A confidential client: HTTP Basic, and client_id in the form as X documents.
            auth_method="client_secret_basic",
            id_in_body=True,
            pkce=True,
            # X rotates the refresh token when it answers: an answer given up on is a
            # grant lost for good (the person must connect again), so it waits longer.
            timeout=max(TOKEN_TIMEOUT_SECONDS, settings.OUTBOUND_TIMEOUT_SECONDS),
        )

    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str:
        return self._oauth().authorization_url(
            redirect_uri=redirect_uri, state=state, code_verifier=code_verifier
        )

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials:
        token = self._oauth().exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        credentials = oauth.credentials(token)
        credentials.secrets["user_id"] = self.identity(credentials).remote_id
        return credentials

    def refresh(self, credentials: Credentials) -> Credentials:
        """A new access token (and a new refresh token: store both at once)."""
        refresh_token = credentials.secrets.get("refresh_token", "")
        if not refresh_token:
            raise NeedsReconnection(_("This X account must be connected again."))
        return oauth.credentials(self._oauth().refresh(refresh_token), credentials)

    # -- the Network interface -----------------------------------------------------------

    @staticmethod
    def _token(credentials: Credentials) -> str:
        token = credentials.secrets.get("access_token", "")
        if not token:
            raise NeedsReconnection(_("This X account is not connected."))
        return token

    def identity(self, credentials: Credentials) -> Identity:
        data = self._call(
            "/2/users/me",
            token=self._token(credentials),
            query={"user.fields": "public_metrics"},
        )["data"]
        followers = (data.get("public_metrics") or {}).get("followers_count")
        return Identity(
            remote_id=str(data["id"]),
            handle=f"@{data['username']}",
            audience=followers if isinstance(followers, int) else None,
        )

    def publish(self, credentials: Credentials, post: Post) -> Published:
        data = self._call(
            "/2/tweets",
            method="POST",
            token=self._token(credentials),
            payload={"text": compose(post)},
            sending=True,
        )
        created = data.get("data") or {}
        if not created.get("id"):
            raise Transient(_("X did not say which post it created."), uncertain=True)
        return self._published(str(created["id"]))

    @staticmethod
    def _published(post_id: str) -> Published:
        return Published(remote_id=post_id, url=f"https://x.com/i/web/status/{post_id}")

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        """The account's post with the same text and link since the uncertain call.

        X's timelines lag a little behind a new post: a "not there" is trusted only
        ``lookup_grace`` after the call (the engine waits).
        """
        token = self._token(credentials)
        user_id = credentials.secrets.get("user_id") or self.identity(credentials).remote_id
        if not user_id.isdigit():
            raise CannotTell(_("X did not say which account this is."))
        query = {
            "max_results": "100",
            "exclude": "replies,retweets",
            "tweet.fields": "created_at,entities",
        }
        if since is not None:
            start = since.astimezone(UTC) - timedelta(minutes=1)
            query["start_time"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        wanted = _comparable(compose(post))
        for _page in range(LOOKUP_PAGES):
            data = self._call(f"/2/users/{user_id}/tweets", token=token, query=query)
            for tweet in data.get("data") or []:
                if _comparable(str(tweet.get("text", ""))) != wanted:
                    continue
                links = [
                    entity.get("expanded_url")
                    for entity in (tweet.get("entities") or {}).get("urls") or []
                ]
                if post.link and links and post.link not in links:
                    continue
                return self._published(str(tweet["id"]))
            next_token = (data.get("meta") or {}).get("next_token")
            if not next_token:
                return None  # every post since the call was read
            query["pagination_token"] = str(next_token)
        raise CannotTell(_("Too many posts since this one to look it up on X."))

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        if not re.fullmatch(r"[0-9]{1,19}", published.remote_id):
            raise Rejected(_("This is not an X post id."))
        data = self._call(
            f"/2/tweets/{published.remote_id}",
            token=self._token(credentials),
            query={"tweet.fields": "public_metrics"},
        )
        counts = (data.get("data") or {}).get("public_metrics") or {}
        return Metrics(
            likes=counts.get("like_count"),
            # "repost_count" in X's current contract, "retweet_count" in older answers
            reposts=counts.get("repost_count", counts.get("retweet_count")),
            replies=counts.get("reply_count"),
            impressions=counts.get("impression_count"),
        )

    def delete(self, credentials: Credentials, published: Published) -> None:
        if not re.fullmatch(r"[0-9]{1,19}", published.remote_id):
            raise Rejected(_("This is not an X post id."))
        data = self._call(
            f"/2/tweets/{published.remote_id}", method="DELETE", token=self._token(credentials)
        )
        if (data.get("data") or {}).get("deleted") is True:
            return
        problems = [error for error in data.get("errors") or [] if isinstance(error, dict)]
        if not problems or any("resource-not-found" in str(p.get("type")) for p in problems):
            raise Gone(_("X no longer has this post."))
        raise Rejected(_("X refused to delete the post: %(reason)s") % {"reason": _first(problems)})
