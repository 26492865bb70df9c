"""OpenID Connect, the authorisation code flow with PKCE (S256), for one connection.

``start`` keeps a random ``state``, ``nonce`` and PKCE verifier in the session, keyed by
the state (two tabs signing in at once each find their own), and sends the person to the
provider. ``callback`` takes the state back once, exchanges the code at the token
endpoint (``oidc_tokens``), verifies the ID token and hands the claims to ``completion``.
Every failure is a ``Refused("protocol", detail=...)`` whose detail names what failed,
for the audit log and the admin's test report.

The provider is found through its discovery document, cached a few minutes: the issuer it
names must be the configured one, so a document served for another issuer is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ambassade.core import outbound
from ambassade.identity import completion
from ambassade.identity.assertions import Assertion
from ambassade.identity.models import Connection
from ambassade.identity.refusals import Refused

SCOPE = "openid email profile"
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
DISCOVERY_TTL = 300  # seconds a discovery document is kept
TIMEOUT_SECONDS = 5.0  # a provider that does not answer in 5 s is down for us
MAX_DOCUMENT_BYTES = 1_000_000
# Pending sign-ins in the session, keyed by state: the few most recent, for ten minutes.
SESSION_PENDING = "oidc_pending"
PENDING_TTL = 600
PENDING_MAX = 5
# The ID token of the session's sign-in: the provider's logout asks for it as a hint.
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key, not a secret)
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def _refused(detail: str) -> Refused:
    return Refused("protocol", detail)


def get_json(url: str, what: str, *, headers: dict[str, str] | None = None) -> Any:
    """GET a JSON document of the provider; a ``Refused`` naming ``what`` otherwise.

    Through the guarded outbound client, like every address an admin types: a provider on
    the intranet is allowed by the operator (``OUTBOUND_ALLOWED_HOSTS``), never by a form.
    """
    try:
        response = outbound.fetch(
            url, headers=headers, timeout=TIMEOUT_SECONDS, max_bytes=MAX_DOCUMENT_BYTES
        )
    except outbound.OutboundError as error:
        raise _refused(
            _("Could not reach %(what)s at %(url)s: %(error)s")
            % {"what": what, "url": url, "error": error.message}
        ) from None
    if response.status != 200:
        raise _refused(
            _("%(url)s answered with the status %(status)d instead of %(what)s.")
            % {"what": what, "status": response.status, "url": url}
        )
    try:
        return json.loads(response.body)
    except ValueError:
        raise _refused(
            _("%(url)s did not answer with JSON (%(what)s expected).") % {"what": what, "url": url}
        ) from None


def _cache_key(issuer: str) -> str:
    return "identity:oidc:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def _same_issuer(one: str, other: str) -> bool:
    # The console keeps issuers without their trailing slash; some providers publish one.
    return one.rstrip("/") == other.rstrip("/")


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, checked; ``Refused`` (with a detail in the
    admin's language, shown by the console's form) when it cannot be used."""
    issuer = issuer.strip()
    found: dict[str, Any] | None = cache.get(_cache_key(issuer))
    if found is not None:
        return found
    document = get_json(issuer.rstrip("/") + DISCOVERY_SUFFIX, _("the discovery document"))
    if not isinstance(document, dict):
        raise _refused(_("The discovery document is not a JSON object."))
    named = document.get("issuer")
    if not isinstance(named, str) or not _same_issuer(named, issuer):
        raise _refused(
            _("The discovery document names the issuer %(named)s, not %(issuer)s.")
            % {"named": str(named)[:200], "issuer": issuer}
        )
    for endpoint in REQUIRED_ENDPOINTS:
        value = document.get(endpoint)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise _refused(
                _("The discovery document has no %(endpoint)s.") % {"endpoint": endpoint}
            )
    cache.set(_cache_key(issuer), document, DISCOVERY_TTL)
    return document


def _absolute(path: str) -> str:
    # Like the links of mails and notifications: the instance's public address.
    return settings.BASE_URL.rstrip("/") + path


def redirect_uri(request: HttpRequest, connection: Connection) -> str:
    """The redirect URI the admin registers at the provider (shown by the console)."""
    return _absolute(reverse("identity:oidc_callback", args=[connection.pk]))


def post_logout_redirect_uri(request: HttpRequest) -> str:
    """Where the provider sends the person back after its own logout."""
    return _absolute(reverse("accounts:login"))


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The session's pending sign-ins that have not expired."""
    now = time.time()
    kept = request.session.get(SESSION_PENDING) or {}
    return {
        state: entry
        for state, entry in kept.items()
        if isinstance(entry, dict) and now - entry.get("at", 0) < PENDING_TTL
    }


def start(
    request: HttpRequest, connection: Connection, *, mode: str, next_url: str = ""
) -> HttpResponse:
    """Off to the provider's authorisation endpoint; ``Refused`` when it cannot be found."""
    document = discover(connection.oidc_issuer)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters: within PKCE's 43 to 128
    pending = _pending(request)
    while len(pending) >= PENDING_MAX:  # the oldest tab's sign-in gives way
        del pending[min(pending, key=lambda s: pending[s]["at"])]
    pending[state] = {
        "connection": connection.pk,
        "mode": mode,
        "next": next_url,
        "nonce": nonce,
        "verifier": verifier,
        "at": time.time(),
    }
    request.session[SESSION_PENDING] = pending
    params = {
        "response_type": "code",
        "client_id": connection.oidc_client_id,
        "redirect_uri": redirect_uri(request, connection),
        "scope": SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
        "ui_locales": get_language() or settings.LANGUAGE_CODE,
    }
    return HttpResponseRedirect(_with_query(document["authorization_endpoint"], params))


def _take_pending(request: HttpRequest, connection: Connection) -> dict[str, Any] | None:
    """The pending sign-in of the answer's state, removed: a state is used once."""
    state = request.GET.get("state", "")
    pending = _pending(request)
    entry = pending.pop(state, None) if state else None
    request.session[SESSION_PENDING] = pending
    if entry is None or entry.get("connection") != connection.pk:
        return None
    return entry


def _provider_error(request: HttpRequest) -> Refused:
    error = request.GET.get("error", "")[:100]
    description = request.GET.get("error_description", "")[:200]
    detail = f"provider answered error={error}"
    return _refused(f"{detail}: {description}" if description else detail)


def callback(request: HttpRequest, connection: Connection) -> HttpResponse:
    """The provider's answer: verified, then the sign-in (or the admin's test) finished."""
    from ambassade.identity import oidc_tokens  # it imports this module's get_json

    entry = _take_pending(request, connection)
    if entry is None:
        refusal = _refused("state unknown or used")
        if "error" in request.GET:  # some providers leave the state out of their errors
            refusal = _refused(f"{_provider_error(request).detail} (state unknown or used)")
        return completion.fail(request, connection, refusal, mode=completion.SIGN_IN)
    mode = entry["mode"]
    try:
        if "error" in request.GET:
            raise _provider_error(request)
        code = request.GET.get("code", "")
        if not code:
            raise _refused("the answer has neither a code nor an error")
        document = discover(connection.oidc_issuer)
        tokens = oidc_tokens.exchange_code(
            document,
            connection,
            code=code,
            redirect_uri=redirect_uri(request, connection),
            verifier=entry["verifier"],
        )
        claims = oidc_tokens.verify_id_token(
            document, connection, tokens["id_token"], nonce=entry["nonce"]
        )
        claims = oidc_tokens.with_userinfo(document, tokens.get("access_token"), claims)
    except Refused as refusal:
        return completion.fail(request, connection, refusal, mode=mode)
    subject = str(claims.pop("sub"))
    assertion = Assertion(subject=subject, claims=claims)
    response = completion.finish(request, connection, assertion, mode=mode, next_url=entry["next"])
    if mode == completion.SIGN_IN and response.status_code == 302:
        # Signed in (``login`` may have renewed the session): the hint for the logout.
        request.session[SESSION_ID_TOKEN] = tokens["id_token"]
    return response


def logout_url(request: HttpRequest, connection: Connection) -> str | None:
    """The provider's end_session_endpoint with the ID token as a hint, when it has one."""
    try:
        document = discover(connection.oidc_issuer)
    except Refused:
        return None  # signing out of Ambassade still works
    endpoint = document.get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    params = {
        "client_id": connection.oidc_client_id,
        "post_logout_redirect_uri": post_logout_redirect_uri(request),
    }
    id_token = request.session.get(SESSION_ID_TOKEN)
    if id_token:
        params["id_token_hint"] = id_token
    return _with_query(endpoint, params)
