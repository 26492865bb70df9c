"""Threads (Meta): the organisation's Threads app, each person's own profile.

An admin creates a Meta app with the Threads use case and enters its Threads app id and
secret (``config["client_id"]``, ``config["client_secret"]``). Each person authorises
with scopes ``threads_basic,threads_content_publish`` (no PKCE: the app authenticates
with its secret). The code gives a short-lived token (one hour) and the profile's id;
it is exchanged at once for a long-lived token (60 days, ``th_exchange_token``), which
``refresh`` extends by another 60 days (``th_refresh_token``) while it is valid and at
least a day old. ``refresh_ahead`` is 30 days, so the daily jobs that call on the
person's behalf (audiences, metrics) keep an idle account connected.

Publishing takes two calls: a text container (``POST /{user-id}/threads``, with the
tracked link as ``link_attachment`` for its preview card), then ``POST
/{user-id}/threads_publish`` with the container's id; the post's address comes from its
``permalink``. Threads holds 500 characters a post and 250 posts published through the
API per profile in 24 hours. Deleting is ``DELETE /{media-id}``; metrics are the post's
insights (views, likes, replies, reposts). After an uncertain publication (a timeout),
``find_post`` reads the profile's latest posts for the tracked link, which is unique to
each post; a "not there" is trusted only ``lookup_grace`` after the call.

Parameters go as Meta documents them: in the query for reads and deletions, in the form
body for the two POSTs (the Graph API reads both; the body keeps the text and the token
out of addresses).

``config["api_base"]`` (default ``https://graph.threads.net``) and
``config["authorize_url"]`` exist so tests can point the module at a local server.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from django.utils.translation import gettext as _

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
from ambassade.sharing.networks.oauth import OAuth, require_app

API_BASE = "https://graph.threads.net"
AUTHORIZE_URL = "https://threads.net/oauth/authorize"
VERSION = "v1.0"
SCOPES = "threads_basic,threads_content_publish"
MAX_LENGTH = 500
DEFAULT_WAIT = timedelta(hours=1)  # Meta sends no reset time with its rate-limit codes
RATE_LIMIT_CODES = {4, 17, 32, 613}
TOKEN_ENDPOINTS = ("/oauth/access_token", "/access_token", "/refresh_access_token")
MEDIA_ID = re.compile(r"[0-9]{1,30}")


def _error(response: Response) -> dict[str, Any]:
    data = json_body(response)
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, dict) else {}


def _reason(response: Response) -> str:
    message = _error(response).get("message")
    if isinstance(message, str) and message:
        return message
    return response.text()[:300] or f"HTTP {response.status}"


def classify(outcome: Response | OutboundError, *, sending: bool = False) -> NetworkError:
    """The one place where Threads' failures become one of the four kinds.

    Meta's errors carry a ``code``: 190 an invalid or expired token, 4/17/32/613 a rate
    limit (613 also the 250 posts a day), 100 an invalid parameter (subcode 33: no such
    object), 10 and 200-299 a missing permission.
    """
    if isinstance(outcome, OutboundError):
        return outbound_failure(outcome, sending=sending)
    status = outcome.status
    error = _error(outcome)
    code = error.get("code")
    reason = _reason(outcome)
    token_endpoint = urlsplit(outcome.url).path.endswith(TOKEN_ENDPOINTS)
    if code in RATE_LIMIT_CODES or status == 429:
        retry_after = outcome.headers.get("retry-after", "")
        wait = timedelta(seconds=int(retry_after)) if retry_after.isdigit() else DEFAULT_WAIT
        return RateLimited(
            _("Threads asks to wait before posting again."), datetime.now(UTC) + wait
        )
    if code == 190 or status == 401 or (token_endpoint and 400 <= status < 500):
        # An expired or revoked token, or a refused code or token exchange.
        return NeedsReconnection(
            _("Threads no longer accepts this connection; please connect the account again.")
        )
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return NeedsReconnection(
            _("Threads refused the permission (%(reason)s); please connect the account again.")
            % {"reason": reason}
        )
    if status in {404, 410} or (code == 100 and error.get("error_subcode") == 33):
        return Gone(_("Threads no longer has this post (%(reason)s).") % {"reason": reason})
    if code == 100 or status in {400, 403, 409, 413, 422}:
        return Rejected(_("Threads refused the post: %(reason)s") % {"reason": reason})
    return Transient(_("Threads answered with an error (HTTP %(status)s).") % {"status": status})


@register
class Threads(Network, ConnectsWithOAuth):
    code: ClassVar[str] = "threads"
    name: ClassVar[str] = "Threads"
    limits: ClassVar[Limits] = Limits(max_length=MAX_LENGTH, url_length=None)
    rank: ClassVar[int] = 50
    uses_organisation_app: ClassVar[bool] = True
    refresh_ahead: ClassVar[timedelta] = timedelta(days=30)
    # A publication still running when we timed out shows in the profile's list later.
    lookup_grace: ClassVar[timedelta] = timedelta(minutes=5)

    # -- HTTP ------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return str(self.config.get("api_base") or API_BASE).rstrip("/")

    def _call(
        self,
        path: str,
        *,
        method: str = "GET",
        query: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        sending: bool = False,
    ) -> dict[str, Any]:
        url = f"{self.api_base}{path}"
        if query:
            url += f"?{urlencode(query)}"
        headers = {"Accept": "application/json"}
        content = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = urlencode(form).encode()
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
            raise Transient(
                _("Threads answered with something that is not JSON."), uncertain=sending
            )
        return data

    # -- OAuth -----------------------------------------------------------------------

    def _oauth(self) -> OAuth:
        require_app(self.config, self.name)
        return OAuth(
            network_name=self.name,
            client_id=str(self.config["client_id"]),
            client_secret=str(self.config["client_secret"]),
            authorize_url=str(self.config.get("authorize_url") or AUTHORIZE_URL),
            token_url=f"{self.api_base}/oauth/access_token",
            scope=SCOPES,
            classify=classify,
            allowed_hosts=frozenset(self.config.get("allowed_hosts", ())),
        )

    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str:
        return self._oauth().authorization_url(redirect_uri=redirect_uri, state=state)

    def _long_lived(self, data: dict[str, Any], previous: Credentials) -> Credentials:
        if not data.get("access_token"):
            raise NeedsReconnection(_("%(network)s did not grant access.") % {"network": self.name})
        return oauth.credentials(data, previous)

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials:
        """The code for a short-lived token, at once for a long-lived one (60 days)."""
        short = self._oauth().exchange_code(code=code, redirect_uri=redirect_uri)
        exchanged = self._call(
            "/access_token",
            query={
                "grant_type": "th_exchange_token",
                "client_secret": str(self.config["client_secret"]),
                "access_token": str(short["access_token"]),
            },
        )
        credentials = self._long_lived(exchanged, Credentials())
        credentials.secrets["user_id"] = self.identity(credentials).remote_id
        return credentials

    def refresh(self, credentials: Credentials) -> Credentials:
        """Another 60 days for a long-lived token that is still valid."""
        token = self._token(credentials)
        expires_at = credentials.expires_at
        if expires_at is not None and expires_at <= datetime.now(UTC):
            raise NeedsReconnection(
                _("The Threads connection has expired; please connect the account again.")
            )
        refreshed = self._call(
            "/refresh_access_token",
            query={"grant_type": "th_refresh_token", "access_token": token},
        )
        return self._long_lived(refreshed, credentials)

    # -- the Network interface -----------------------------------------------------------

    @staticmethod
    def _token(credentials: Credentials) -> str:
        token = credentials.secrets.get("access_token", "")
        if not token:
            raise NeedsReconnection(_("This Threads account is not connected."))
        return token

    def identity(self, credentials: Credentials) -> Identity:
        data = self._call(
            f"/{VERSION}/me",
            query={"fields": "id,username", "access_token": self._token(credentials)},
        )
        if not MEDIA_ID.fullmatch(str(data.get("id", ""))):
            raise Transient(_("Threads did not say who the person is."))
        return Identity(remote_id=str(data["id"]), handle=f"@{data.get('username') or data['id']}")

    def _user_id(self, credentials: Credentials) -> str:
        user_id = credentials.secrets.get("user_id") or self.identity(credentials).remote_id
        if not MEDIA_ID.fullmatch(user_id):
            raise NeedsReconnection(_("Threads did not say who the person is."))
        return user_id

    def publish(self, credentials: Credentials, post: Post) -> Published:
        text = with_link(post)
        if len(text) > MAX_LENGTH:
            raise Rejected(
                _("Threads holds %(limit)s characters a post; this one has %(count)s.")
                % {"limit": MAX_LENGTH, "count": len(text)}
            )
        token = self._token(credentials)
        user_id = self._user_id(credentials)
        container: dict[str, str] = {"media_type": "TEXT", "text": text, "access_token": token}
        if post.link:
            container["link_attachment"] = post.link
        # The container is not a post yet: a failure here leaves nothing on Threads.
        created = self._call(f"/{VERSION}/{user_id}/threads", method="POST", form=container)
        creation_id = str(created.get("id", ""))
        if not MEDIA_ID.fullmatch(creation_id):
            raise Transient(_("Threads did not say which container it created."))
        published = self._call(
            f"/{VERSION}/{user_id}/threads_publish",
            method="POST",
            form={"creation_id": creation_id, "access_token": token},
            sending=True,
        )
        media_id = str(published.get("id", ""))
        if not MEDIA_ID.fullmatch(media_id):
            raise Transient(_("Threads did not say which post it published."), uncertain=True)
        return Published(remote_id=media_id, url=self._permalink(token, media_id))

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        """After an uncertain publication: the profile's post carrying this post's tracked
        link (unique to it) or, without a link, its text, among its latest posts."""
        token = self._token(credentials)
        query = {"fields": "id,text,permalink,timestamp", "limit": "50", "access_token": token}
        if since is not None:
            query["since"] = str(int((since - timedelta(minutes=1)).timestamp()))
        data = self._call(f"/{VERSION}/{self._user_id(credentials)}/threads", query=query)
        found = [each for each in data.get("data") or [] if isinstance(each, dict)]
        for each in found:
            text = str(each.get("text") or "")
            same = post.link in text if post.link else text.strip() == with_link(post).strip()
            if same and MEDIA_ID.fullmatch(str(each.get("id", ""))):
                permalink = str(each.get("permalink") or "")
                url = permalink if permalink.startswith("https://") else "https://www.threads.net/"
                return Published(remote_id=str(each["id"]), url=url)
        if len(found) >= int(query["limit"]):
            raise CannotTell(_("Too many Threads posts since this one to look it up."))
        return None

    def _permalink(self, token: str, media_id: str) -> str:
        """The post's address; the profile's page when Threads does not say (the post
        exists: a failure to read its address is no failure to publish)."""
        try:
            data = self._call(
                f"/{VERSION}/{media_id}", query={"fields": "permalink", "access_token": token}
            )
        except NetworkError:
            return "https://www.threads.net/"
        permalink = str(data.get("permalink") or "")
        return permalink if permalink.startswith("https://") else "https://www.threads.net/"

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        if not MEDIA_ID.fullmatch(published.remote_id):
            raise Rejected(_("This is not a Threads post id."))
        data = self._call(
            f"/{VERSION}/{published.remote_id}/insights",
            query={
                "metric": "views,likes,replies,reposts,quotes",
                "access_token": self._token(credentials),
            },
        )
        values: dict[str, int] = {}
        for metric in data.get("data") or []:
            if not isinstance(metric, dict):
                continue
            points = metric.get("values") or []
            value = points[0].get("value") if points and isinstance(points[0], dict) else None
            if isinstance(value, int):
                values[str(metric.get("name"))] = value
        return Metrics(
            likes=values.get("likes"),
            reposts=values.get("reposts"),
            replies=values.get("replies"),
            impressions=values.get("views"),
        )

    def delete(self, credentials: Credentials, published: Published) -> None:
        if not MEDIA_ID.fullmatch(published.remote_id):
            raise Rejected(_("This is not a Threads post id."))
        data = self._call(
            f"/{VERSION}/{published.remote_id}",
            method="DELETE",
            query={"access_token": self._token(credentials)},
        )
        if data.get("success") is not True:
            raise Transient(_("Threads did not confirm the deletion."))
