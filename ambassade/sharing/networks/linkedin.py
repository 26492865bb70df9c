"""LinkedIn: the organisation's LinkedIn app, each member's own profile.

An admin creates a LinkedIn app with the two self-serve products "Sign In with
LinkedIn using OpenID Connect" and "Share on LinkedIn", and enters its client id and
secret (``config["client_id"]``, ``config["client_secret"]``). Each member authorises
with scopes ``openid profile w_member_social``; the author URN is
``urn:li:person:{sub}`` with ``sub`` from the OpenID Connect userinfo endpoint.

Tokens last about 60 days and ordinary apps get no refresh token: ``refresh`` returns
the credentials while they are valid and raises ``NeedsReconnection`` once they have
expired; ``expires_soon`` tells the sharing app when to warn the person (a week ahead)
and offer reconnection. Apps that LinkedIn granted programmatic refresh tokens get a
real refresh.

Publishing uses the versioned Posts API (``POST /rest/posts`` with ``LinkedIn-Version``
and ``X-Restli-Protocol-Version: 2.0.0``); the tracked link is an article card (source,
title, description) and the post's URN comes back in the ``x-restli-id`` header. The
commentary is written in LinkedIn's "little text" format, where reserved characters are
escaped and hashtags use the ``{hashtag|\\#|word}`` template.

Deleting a post is ``DELETE /rest/posts/{url-encoded URN}`` (204; 404: already gone).

Metrics: LinkedIn's analytics of members' posts (``memberCreatorPostAnalytics``) are
restricted to approved partners and not available to ordinary apps, so ``metrics``
returns ``Metrics()`` with every value ``None``; the tracked link still counts clicks.
``find_post`` cannot list a member's posts either (``r_member_social`` is restricted):
it returns ``None`` and the engine marks an uncertain target "to verify".

``config["api_base"]`` (default ``https://api.linkedin.com``), ``config["oauth_base"]``
(default ``https://www.linkedin.com``) and ``config["version"]`` exist for tests and for
moving to a newer ``LinkedIn-Version`` without a release.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext as _

from ambassade.content.limits import URL
from ambassade.core.outbound import OutboundError, Response, fetch
from ambassade.sharing.networks import oauth
from ambassade.sharing.networks.base import (
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
)
from ambassade.sharing.networks.oauth import OAuth, require_app

API_BASE = "https://api.linkedin.com"
OAUTH_BASE = "https://www.linkedin.com"
# LinkedIn supports each monthly version for at least a year; move this forward
# (or set config["version"]) before it is sunset.
LINKEDIN_VERSION = "202610"
SCOPES = "openid profile w_member_social"
DEFAULT_WAIT = timedelta(hours=1)  # LinkedIn sends no reset time; its limits are daily
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")


def _reason(response: Response) -> str:
    data = json_body(response)
    if isinstance(data, dict):
        for key in ("message", "error_description", "error"):
            if isinstance(data.get(key), str) and data[key]:
                return str(data[key])
    return response.text()[:300] or f"HTTP {response.status}"


def classify(outcome: Response | OutboundError, *, sending: bool = False) -> NetworkError:
    """The one place where LinkedIn's failures become one of the four kinds."""
    if isinstance(outcome, OutboundError):
        return outbound_failure(outcome, sending=sending)
    status = outcome.status
    token_endpoint = urlsplit(outcome.url).path.endswith("/oauth/v2/accessToken")
    if status == 401 or (token_endpoint and status == 400):  # refused code or refresh token
        return NeedsReconnection(
            _("LinkedIn no longer accepts this connection; please connect the account again.")
        )
    if status == 429:
        retry_after = outcome.headers.get("retry-after", "")
        wait = timedelta(seconds=int(retry_after)) if retry_after.isdigit() else DEFAULT_WAIT
        return RateLimited(
            _("LinkedIn asks to wait before posting again."), datetime.now(UTC) + wait
        )
    if status == 403:
        return NeedsReconnection(
            _("LinkedIn refused the permission (%(reason)s); please connect the account again.")
            % {"reason": _reason(outcome)}
        )
    if status in {404, 410}:
        return Gone(
            _("LinkedIn no longer has this post (%(reason)s).") % {"reason": _reason(outcome)}
        )
    if status in {400, 409, 413, 422}:
        return Rejected(_("LinkedIn refused the post: %(reason)s") % {"reason": _reason(outcome)})
    return Transient(_("LinkedIn answered with an error (HTTP %(status)s).") % {"status": status})


def little_text(text: str) -> str:
    """The commentary in LinkedIn's little text format: reserved characters escaped,
    ``#word`` kept as a hashtag."""
    tags: list[str] = []

    def keep(match: re.Match[str]) -> str:
        tags.append(match.group(1))
        return f"\x00{len(tags) - 1}\x00"

    pieces = []
    position = 0
    for link in URL.finditer(text):  # a "#fragment" in a link is not a hashtag
        pieces.append(HASHTAG.sub(keep, text[position : link.start()]))
        pieces.append(link.group())
        position = link.end()
    pieces.append(HASHTAG.sub(keep, text[position:]))
    escaped = RESERVED.sub(r"\\\1", "".join(pieces))
    return re.sub(
        r"\x00(\d+)\x00",
        lambda m: "{hashtag|\\#|" + tags[int(m.group(1))] + "}",
        escaped,
    )


def expires_soon(credentials: Credentials, days: int = 7) -> bool:
    """Whether the token ends within ``days`` (or has ended): time to warn the person."""
    if credentials.expires_at is None:
        return False
    return credentials.expires_at <= datetime.now(UTC) + timedelta(days=days)


@register
class LinkedIn(Network, ConnectsWithOAuth):
    rank: ClassVar[int] = 10
    uses_organisation_app: ClassVar[bool] = True
    code: ClassVar[str] = "linkedin"
    name: ClassVar[str] = "LinkedIn"
    limits: ClassVar[Limits] = Limits(max_length=3000, url_length=None)

    expires_soon = staticmethod(expires_soon)

    @classmethod
    def renews_itself(cls, credentials: Credentials) -> bool:
        return bool(credentials.secrets.get("refresh_token"))  # partner apps only

    @classmethod
    def shown_text(cls, post: Post) -> str:
        """The commentary only: LinkedIn shows the tracked link as the article card."""
        return post.text.rstrip()

    # -- HTTP ------------------------------------------------------------------------

    def _base(self, key: str, default: str) -> str:
        return str(self.config.get(key) or default).rstrip("/")

    @property
    def version(self) -> str:
        return str(self.config.get("version") or LINKEDIN_VERSION)

    def _call(
        self,
        url: str,
        *,
        method: str = "GET",
        token: str = "",
        payload: dict[str, Any] | None = None,
        rest: bool = False,
        sending: bool = False,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        headers = {"Accept": "application/json", **(extra_headers or {})}
        content = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if rest:
            headers["LinkedIn-Version"] = self.version
            headers["X-Restli-Protocol-Version"] = "2.0.0"
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
        return response

    def _json(self, response: Response) -> dict[str, Any]:
        data = json_body(response)
        if not isinstance(data, dict):
            raise Transient(_("LinkedIn answered with something that is not JSON."))
        return data

    # -- OAuth -----------------------------------------------------------------------

    def _oauth(self) -> OAuth:
        require_app(self.config, self.name)
        oauth_base = self._base("oauth_base", OAUTH_BASE)
        # LinkedIn offers PKCE to native apps only; a web app authenticates with its
        # secret in the form at the token endpoint, so no verifier is sent.
        return OAuth(
            network_name=self.name,
            client_id=str(self.config["client_id"]),
            client_secret=str(self.config["client_secret"]),
            authorize_url=f"{oauth_base}/oauth/v2/authorization",
            token_url=f"{oauth_base}/oauth/v2/accessToken",
            scope=SCOPES,
            classify=classify,
            allowed_hosts=frozenset(self.config.get("allowed_hosts", ())),
        )

    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str:
        return self._oauth().authorization_url(redirect_uri=redirect_uri, state=state)

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials:
        token = self._oauth().exchange_code(code=code, redirect_uri=redirect_uri)
        credentials = oauth.credentials(token)
        credentials.secrets["author"] = self.identity(credentials).remote_id
        return credentials

    def refresh(self, credentials: Credentials) -> Credentials:
        """The same credentials while valid; a real refresh only for partner apps."""
        expired = credentials.expires_at is not None and credentials.expires_at <= datetime.now(UTC)
        refresh_token = credentials.secrets.get("refresh_token", "")
        if refresh_token and (expired or expires_soon(credentials)):
            return oauth.credentials(self._oauth().refresh(refresh_token), credentials)
        if expired or not credentials.secrets.get("access_token"):
            raise NeedsReconnection(
                _("The LinkedIn connection has expired; please connect the account again.")
            )
        return credentials

    # -- the Network interface -----------------------------------------------------------

    @staticmethod
    def _token(credentials: Credentials) -> str:
        token = credentials.secrets.get("access_token", "")
        if not token:
            raise NeedsReconnection(_("This LinkedIn account is not connected."))
        return token

    def identity(self, credentials: Credentials) -> Identity:
        response = self._call(
            f"{self._base('api_base', API_BASE)}/v2/userinfo", token=self._token(credentials)
        )
        data = self._json(response)
        if not data.get("sub"):
            raise Transient(_("LinkedIn did not say who the member is."))
        name = data.get("name") or " ".join(
            part for part in (data.get("given_name"), data.get("family_name")) if part
        )
        return Identity(remote_id=f"urn:li:person:{data['sub']}", handle=str(name or data["sub"]))

    def _trusted(self, url: str) -> bool:
        """Whether an upload address LinkedIn returned may receive the member's token."""
        host = (urlsplit(url).hostname or "").lower()
        configured = {
            urlsplit(self._base(key, default)).hostname
            for key, default in (("api_base", API_BASE), ("oauth_base", OAUTH_BASE))
        }
        return host in configured or host == "linkedin.com" or host.endswith(".linkedin.com")

    def upload_thumbnail(self, token: str, author: str, post: Post) -> str:
        """The card's picture: the Images API's URN for ``post.image``.

        The Posts API does not fetch a card's picture from the page itself: an article
        without a thumbnail shows none.
        """
        response = self._call(
            f"{self._base('api_base', API_BASE)}/rest/images?action=initializeUpload",
            method="POST",
            token=token,
            payload={"initializeUploadRequest": {"owner": author}},
            rest=True,
        )
        value = self._json(response).get("value") or {}
        upload_url, image = str(value.get("uploadUrl", "")), str(value.get("image", ""))
        if not image.startswith("urn:li:image:") or not self._trusted(upload_url):
            raise Transient(_("LinkedIn did not give a place to upload the image."))
        try:
            uploaded = fetch(
                upload_url,
                method="PUT",
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": post.image_type or "application/octet-stream",
                },
                content=post.image,
                allowed_hosts=frozenset(self.config.get("allowed_hosts", ())),
                max_redirects=0,
            )
        except OutboundError as error:
            raise classify(error) from None
        if not 200 <= uploaded.status < 300:
            raise classify(uploaded)
        return image

    def post_body(self, author: str, post: Post, thumbnail: str = "") -> dict[str, Any]:
        """The Posts API body for one post (public, main feed, article card)."""
        body: dict[str, Any] = {
            "author": author,
            "commentary": little_text(self.shown_text(post)),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if post.link:
            article = {"source": post.link, "title": post.title or post.link}
            if post.description:
                article["description"] = post.description
            if thumbnail:
                article["thumbnail"] = thumbnail
            body["content"] = {"article": article}
        return body

    def publish(self, credentials: Credentials, post: Post) -> Published:
        token = self._token(credentials)
        author = credentials.secrets.get("author") or self.identity(credentials).remote_id
        thumbnail = ""
        if post.image and post.link:
            try:
                thumbnail = self.upload_thumbnail(token, author, post)
            except Rejected:
                thumbnail = ""  # a card without its picture rather than no post
        response = self._call(
            f"{self._base('api_base', API_BASE)}/rest/posts",
            method="POST",
            token=token,
            payload=self.post_body(author, post, thumbnail),
            rest=True,
            sending=True,
        )
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise Transient(_("LinkedIn did not say which post it created."), uncertain=True)
        return Published(
            remote_id=urn, url=f"https://www.linkedin.com/feed/update/{quote(urn, safe=':')}/"
        )

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        """Not available to ordinary apps (see the module's docstring)."""
        return Metrics()

    def delete(self, credentials: Credentials, published: Published) -> None:
        urn = published.remote_id
        if not re.fullmatch(r"urn:li:(share|ugcPost):[0-9]{1,30}", urn):
            raise Rejected(_("This is not a LinkedIn post."))
        self._call(
            f"{self._base('api_base', API_BASE)}/rest/posts/{quote(urn, safe='')}",
            method="DELETE",
            token=self._token(credentials),
            rest=True,
            extra_headers={"X-RestLi-Method": "DELETE"},  # as LinkedIn's documentation sends
        )
