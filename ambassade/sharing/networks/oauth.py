"""The OAuth 2 client that every network connecting with OAuth uses, on authlib.

What the networks share, written once: the "app not configured" refusal, the
authorisation URL (with PKCE S256 where the network honours it), the code exchange and
the refresh at the token endpoint, and the credentials built from a token answer. A
network module keeps only what is its own: its endpoints, its scopes, how its client
authenticates at the token endpoint, and its ``classify`` (its errors to the four kinds
of ``base.py``).

authlib's ``OAuth2Client`` (an ``httpx.Client``) builds the requests; they leave through
``core.outbound.fetch`` all the same (``OutboundTransport``), so the SSRF guard, the time
limit and the size limit apply to the token endpoint as to every other call.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.utils.translation import gettext as _

from ambassade.core.outbound import OutboundError, Response, fetch
from ambassade.sharing.networks.base import (
    Credentials,
    NeedsReconnection,
    NetworkError,
    Rejected,
    Transient,
)

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 package and warns when it falls back on httpx, which
    # the rest of Ambassade uses (core.outbound): the same client, one HTTP stack.
    warnings.filterwarnings("ignore", "The httpx module is deprecated", DeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

Classify = Callable[..., NetworkError]  # classify(Response | OutboundError, sending=...)
# Headers httpx or authlib add that ``fetch`` sets itself (or must not forward).
OWN_HEADERS = {"host", "content-length", "connection", "accept-encoding", "user-agent"}
FORM = "application/x-www-form-urlencoded"


def pkce_challenge(code_verifier: str) -> str:
    """The S256 code challenge (RFC 7636) of a verifier."""
    return str(create_s256_code_challenge(code_verifier))


def require_app(config: dict[str, Any], network_name: str) -> None:
    """The organisation's app (its ``NetworkApp``) must hold a client id and secret."""
    if not config.get("client_id") or not config.get("client_secret"):
        raise Rejected(
            _(
                "The organisation has not configured its %(network)s app yet; "
                "share on %(network)s with a share link instead."
            )
            % {"network": network_name}
        )


def expires_at(token: dict[str, Any]) -> datetime | None:
    """When a token answer's ``expires_in`` (seconds) runs out, if it says."""
    expires_in = token.get("expires_in")
    if isinstance(expires_in, int) and not isinstance(expires_in, bool):
        return datetime.now(UTC) + timedelta(seconds=expires_in)
    return None


def as_response(response: httpx.Response) -> Response:
    """authlib's httpx answer as the ``Response`` every ``classify`` reads."""
    return Response(
        url=str(response.request.url),
        status=response.status_code,
        headers=response.headers,
        body=response.content,
    )


class OutboundTransport(httpx.BaseTransport):
    """An httpx transport that sends each request through ``core.outbound.fetch``.

    ``json_body``: the form body authlib writes is sent as a JSON object instead, for a
    token endpoint documented with JSON (Mastodon's).
    """

    def __init__(
        self,
        allowed_hosts: frozenset[str],
        timeout: float | None = None,
        json_body: bool = False,
    ) -> None:
        self.allowed_hosts = allowed_hosts
        self.timeout = timeout
        self.json_body = json_body

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = {
            name: value for name, value in request.headers.items() if name not in OWN_HEADERS
        }
        content = request.read() or None
        if self.json_body and content and headers.get("content-type", "").startswith(FORM):
            fields = dict(httpx.QueryParams(content.decode()))
            content = json.dumps(fields).encode()
            headers["content-type"] = "application/json"
        answer = fetch(  # an OutboundError goes up to OAuth._send as it is
            str(request.url),
            method=request.method,
            headers=headers,
            content=content,
            allowed_hosts=self.allowed_hosts,
            max_redirects=0,
            timeout=self.timeout,
        )
        return httpx.Response(
            answer.status,
            headers=[(k, v) for k, v in answer.headers.items() if k != "content-encoding"],
            content=answer.body,
            request=request,
        )


@dataclass(frozen=True)
class OAuth:
    """One network's OAuth 2 client: its app, endpoints and the way it authenticates.

    ``auth_method``: ``client_secret_post`` (id and secret in the form) or
    ``client_secret_basic`` (HTTP Basic); ``id_in_body`` adds ``client_id`` to the form
    as well (X asks for both). ``pkce``: send an S256 challenge when a verifier is given.
    """

    network_name: str
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    scope: str
    classify: Classify
    allowed_hosts: frozenset[str] = frozenset()
    auth_method: Literal["client_secret_post", "client_secret_basic"] = "client_secret_post"
    id_in_body: bool = False
    pkce: bool = False
    json_body: bool = False
    timeout: float | None = None

    def _client(self) -> OAuth2Client:
        client = OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method=self.auth_method,
            code_challenge_method="S256" if self.pkce else None,
            transport=OutboundTransport(self.allowed_hosts, self.timeout, self.json_body),
            trust_env=False,
        )
        for hook in ("access_token_response", "refresh_token_response"):
            client.register_compliance_hook(hook, self._refuse_errors)
        return client

    def _refuse_errors(self, response: httpx.Response) -> httpx.Response:
        if not 200 <= response.status_code < 300:
            raise self.classify(as_response(response))
        return response

    def authorization_url(self, *, redirect_uri: str, state: str, code_verifier: str = "") -> str:
        with self._client() as client:
            url, _state = client.create_authorization_url(
                self.authorize_url,
                state=state,
                code_verifier=code_verifier if self.pkce else None,
                redirect_uri=redirect_uri,
                scope=self.scope,
            )
        return str(url)

    def _send(self, call: Callable[[OAuth2Client], Any]) -> dict[str, Any]:
        try:
            with self._client() as client:
                token = call(client)
        except OutboundError as error:
            raise self.classify(error) from None
        except OAuthError as error:  # a 2xx answer carrying an OAuth "error"
            raise NeedsReconnection(
                _("%(network)s did not grant access (%(reason)s).")
                % {"network": self.network_name, "reason": error.error}
            ) from None
        except (ValueError, httpx.HTTPError):
            raise Transient(
                _("%(network)s answered with something that is not JSON.")
                % {"network": self.network_name}
            ) from None
        if not isinstance(token, dict) or not token.get("access_token"):
            raise NeedsReconnection(
                _("%(network)s did not grant access.") % {"network": self.network_name}
            )
        return dict(token)

    def _form_extras(self) -> dict[str, str]:
        return {"client_id": self.client_id} if self.id_in_body else {}

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str = ""
    ) -> dict[str, Any]:
        """The token endpoint's answer to an authorisation code (a dict with
        ``access_token``), or one of the four kinds."""
        extras = self._form_extras()
        if self.pkce and code_verifier:
            extras["code_verifier"] = code_verifier
        return self._send(
            lambda client: client.fetch_token(
                self.token_url,
                grant_type="authorization_code",
                code=code,
                redirect_uri=redirect_uri,
                headers={"Accept": "application/json", "Content-Type": FORM},
                **extras,
            )
        )

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """The token endpoint's answer to a refresh token."""
        return self._send(
            lambda client: client.refresh_token(
                self.token_url,
                refresh_token=refresh_token,
                headers={"Accept": "application/json", "Content-Type": FORM},
                **self._form_extras(),
            )
        )


def credentials(token: dict[str, Any], previous: Credentials | None = None) -> Credentials:
    """Stored credentials from a token answer: the access token, the refresh token when
    one came (a rotated one replaces the old), the rest of ``previous`` kept."""
    secrets = dict(previous.secrets) if previous else {}
    secrets["access_token"] = str(token["access_token"])
    if token.get("refresh_token"):
        secrets["refresh_token"] = str(token["refresh_token"])
    return Credentials(secrets=secrets, expires_at=expires_at(token))
