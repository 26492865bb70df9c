"""SAML 2.0 sign-in: the AuthnRequest we send, and the checks of the answer that comes back.

pysaml2 checks the signature (against the provider's certificates from its metadata only),
the audience, the recipient and destination, NotBefore / NotOnOrAfter (with a small clock
skew) and InResponseTo against the requests this browser session sent. We add what it
leaves to the application: the issuer must be the connection's provider, the RelayState
must be the one sent with that request, a request is answered once, and an assertion id
is used once (``SeenAssertion``, kept until the assertion expires).

Every failure becomes ``Refused("protocol", detail)``, the detail naming what failed.
"""

from __future__ import annotations

import binascii
import calendar
import contextlib
import secrets
import time
from base64 import b64decode
from datetime import UTC, datetime, timedelta
from typing import Any

from defusedxml import ElementTree
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.response import (
    AuthnResponse,
    IncorrectlySigned,
    StatusError,
    UnsolicitedResponse,
    VerificationError,
)
from saml2.sigver import MissingKey, SignatureError, SigverError
from saml2.time_util import str_to_time
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import SIG_RSA_SHA256

from ambassade.identity import completion
from ambassade.identity.assertions import Assertion
from ambassade.identity.models import Connection, SeenAssertion
from ambassade.identity.refusals import Refused
from ambassade.identity.saml_attributes import claims_of
from ambassade.identity.saml_config import (
    CLOCK_SKEW_SECONDS,
    MetadataError,
    SamlSetupError,
    acs_url,
    parse_idp_metadata,
    sp_client,
)
from ambassade.identity.saml_logout import SESSION_NAME_ID, SESSION_NAME_ID_FORMAT, logout_url

__all__ = ["consume", "logout_url", "start"]

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
# The requests this session sent: {request id: {connection, mode, next, relay, at, answered}}.
SESSION_REQUESTS = "saml_requests"
REQUEST_LIFETIME_SECONDS = 15 * 60
MAX_REQUESTS = 10
MAX_RESPONSE_BYTES = 1_000_000


def _requests(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The session's recent requests, the stale ones dropped."""
    now = time.time()
    kept = {
        request_id: entry
        for request_id, entry in request.session.get(SESSION_REQUESTS, {}).items()
        if now - entry["at"] < REQUEST_LIFETIME_SECONDS
    }
    return dict(sorted(kept.items(), key=lambda item: item[1]["at"])[-MAX_REQUESTS:])


def start(
    request: HttpRequest, connection: Connection, *, mode: str, next_url: str = ""
) -> HttpResponse:
    """Sends the person to the provider with a signed AuthnRequest (HTTP-Redirect)."""
    try:
        idp = parse_idp_metadata(connection.saml_metadata_xml)
        relay = secrets.token_urlsafe(24)
        with sp_client(connection) as client:
            request_id, info = client.prepare_for_authenticate(
                entityid=idp.entity_id,
                relay_state=relay,
                binding=BINDING_HTTP_REDIRECT,
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
    except (MetadataError, SamlSetupError) as error:
        return completion.fail(request, connection, Refused("protocol", error.message), mode=mode)
    requests = _requests(request)
    requests[request_id] = {
        "connection": connection.pk,
        "mode": mode,
        "next": next_url,
        "relay": relay,
        "at": time.time(),
        "answered": False,
    }
    request.session[SESSION_REQUESTS] = dict(list(requests.items())[-MAX_REQUESTS:])
    return HttpResponseRedirect(dict(info["headers"])["Location"])


# --- The answer -------------------------------------------------------------------------


def _decoded(encoded: str) -> bytes:
    if not encoded:
        raise Refused("protocol", "malformed base64: no SAMLResponse in the form")
    if len(encoded) > MAX_RESPONSE_BYTES:
        raise Refused("protocol", "malformed XML: the SAMLResponse is too large")
    try:
        return b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise Refused("protocol", "malformed base64: SAMLResponse is not base64") from None


def _issuer_of(xml: bytes) -> str:
    """The response's issuer (or its assertion's), read before anything is trusted."""
    try:
        root = ElementTree.fromstring(xml)
    except Exception:  # expat's and defusedxml's refusals alike
        raise Refused("protocol", "malformed XML: SAMLResponse is not well-formed XML") from None
    if root.tag != f"{{{SAMLP}}}Response":
        raise Refused("protocol", f"malformed XML: expected a samlp:Response, got {root.tag[:80]}")
    issuer = root.find(f"{{{SAML}}}Issuer")
    if issuer is None:
        issuer = root.find(f"{{{SAML}}}Assertion/{{{SAML}}}Issuer")
    return (issuer.text or "").strip() if issuer is not None else ""


def _expected_issuer(connection: Connection) -> str:
    """The provider's entity id as saved by the console, else as its metadata says."""
    if connection.saml_idp_entity_id:
        return connection.saml_idp_entity_id
    try:
        return parse_idp_metadata(connection.saml_metadata_xml).entity_id
    except MetadataError as error:
        raise Refused("protocol", f"setup: {error.message}") from None


def _why(error: Exception, in_response_to: str) -> str:
    """What pysaml2's exception means, in the words of the audit log."""
    text = str(error)
    if isinstance(error, SignatureError) and "missing for assertion" in text:
        return "signature: the assertion is not signed"
    if isinstance(error, MissingKey):
        return "unknown issuer: no certificate of this issuer in the provider's metadata"
    if isinstance(error, SigverError | IncorrectlySigned):
        return "signature: does not verify with the provider's certificate"
    if isinstance(error, UnsolicitedResponse) or "requestURI I don't recall" in text:
        if not in_response_to:
            return "unsolicited response: no InResponseTo"
        return f"InResponseTo unknown: {in_response_to[:80]}"
    if isinstance(error, ResponseLifetimeExceed):
        return "expired: NotOnOrAfter has passed"
    if isinstance(error, ToEarly):
        return "not yet valid: NotBefore is in the future"
    if "Condition not OK" in text:
        return "conditions: NotBefore is not before NotOnOrAfter"
    if "AudienceRestrictions" in text:
        return "audience: the assertion is meant for another service provider"
    if isinstance(error, VerificationError) and "recipient" in text:
        return "recipient: the assertion is meant for another address"
    if isinstance(error, StatusError):
        return f"status: the provider refused ({type(error).__name__})"
    return f"malformed response: {type(error).__name__}: {text[:120]}"


def _parse(
    request: HttpRequest, connection: Connection, encoded: str, outstanding: dict[str, str]
) -> AuthnResponse:
    xml = _decoded(encoded)
    issuer = _issuer_of(xml)
    if issuer != _expected_issuer(connection):
        raise Refused("protocol", f"unknown issuer: {issuer[:200] or '(none)'}")
    try:
        with sp_client(connection) as client:
            response = client.parse_authn_request_response(
                encoded,
                BINDING_HTTP_POST,
                outstanding=outstanding,
                # Set so that pysaml2 checks the Recipient; 0.0.0.0 means no binding
                # to the client's address (proxies in front of us change it).
                conv_info={"remote_addr": "0.0.0.0"},  # noqa: S104
            )
    except SamlSetupError as error:
        raise Refused("protocol", f"setup: {error.message}") from None
    except Exception as error:  # pysaml2 raises many kinds, some of them bare Exception
        in_response_to = ""
        with contextlib.suppress(Exception):  # read again only to name the request
            in_response_to = ElementTree.fromstring(xml).get("InResponseTo") or ""
        raise Refused("protocol", _why(error, in_response_to)) from None
    if response is None:
        destination = ElementTree.fromstring(xml).get("Destination")
        if destination and destination != acs_url(connection):
            raise Refused("protocol", f"destination: {destination[:200]}")
        raise Refused("protocol", "malformed response: pysaml2 could not verify it")
    return response


def _expiry(response: AuthnResponse) -> datetime:
    """Until when the assertion could be replayed: its NotOnOrAfter, and the clock skew."""
    moment = response.not_on_or_after or 0
    for confirmation in response.assertion.subject.subject_confirmation or []:
        data = confirmation.subject_confirmation_data
        if data is not None and data.not_on_or_after:
            moment = max(moment, calendar.timegm(str_to_time(data.not_on_or_after)))
    if not moment:
        moment = int(time.time()) + 3600
    return datetime.fromtimestamp(moment, UTC) + timedelta(seconds=CLOCK_SKEW_SECONDS)


def _use_once(connection: Connection, response: AuthnResponse) -> None:
    assertion_id = response.assertion.id or ""
    if not assertion_id:
        raise Refused("protocol", "malformed XML: the assertion has no ID")
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                connection=connection, assertion_id=assertion_id[:255], expires_at=_expiry(response)
            )
    except IntegrityError:
        raise Refused("protocol", f"replayed assertion: {assertion_id[:80]}") from None


def _verified(
    request: HttpRequest, connection: Connection, encoded: str, relay: str
) -> tuple[Assertion, dict[str, Any]]:
    requests = _requests(request)
    # The requests already answered stay listed, so that pysaml2 verifies a second answer
    # fully and the refusal names the replay rather than an unknown request.
    outstanding = {
        request_id: entry["next"]
        for request_id, entry in requests.items()
        if entry["connection"] == connection.pk
    }
    response = _parse(request, connection, encoded, outstanding)
    if response.assertion is None:
        raise Refused("protocol", "malformed response: no assertion")
    assertion_issuer = (response.assertion.issuer.text or "").strip()
    if assertion_issuer != _expected_issuer(connection):
        raise Refused("protocol", f"unknown issuer: {assertion_issuer[:200]}")
    entry = requests.get(response.in_response_to or "")
    if entry is None:
        raise Refused("protocol", f"InResponseTo unknown: {(response.in_response_to or '')[:80]}")
    if not relay or not secrets.compare_digest(relay, entry["relay"]):
        raise Refused("protocol", "RelayState does not match the request")
    _use_once(connection, response)
    if entry["answered"]:
        raise Refused("protocol", "InResponseTo already answered")
    entry["answered"] = True
    request.session[SESSION_REQUESTS] = requests
    name_id = response.name_id.text.strip() if response.name_id is not None else ""
    if not name_id:
        raise Refused("protocol", "malformed response: no NameID")
    claims: dict[str, Any] = claims_of(response.assertion)
    for name, values in (response.ava or {}).items():
        if all(isinstance(value, str) for value in values):
            claims.setdefault(name, values)
    session_index = ""
    for statement in response.assertion.authn_statement or []:
        session_index = statement.session_index or session_index
    entry["name_id_format"] = response.name_id.format or ""
    return Assertion(subject=name_id[:255], claims=claims, session_index=session_index), entry


def _entry_for(request: HttpRequest, relay: str) -> dict[str, Any] | None:
    for entry in _requests(request).values():
        if relay and secrets.compare_digest(relay, entry["relay"]):
            return entry
    return None


def consume(request: HttpRequest, connection: Connection) -> HttpResponse:
    """The assertion consumer service: a signed-in person, a test report, or a refusal."""
    relay = request.POST.get("RelayState", "")
    known = _entry_for(request, relay)
    mode = known["mode"] if known else completion.SIGN_IN
    try:
        assertion, entry = _verified(
            request, connection, request.POST.get("SAMLResponse", ""), relay
        )
    except Refused as refusal:
        return completion.fail(request, connection, refusal, mode=mode)
    response = completion.finish(
        request, connection, assertion, mode=entry["mode"], next_url=entry["next"]
    )
    if request.session.get(SESSION_NAME_ID) == assertion.subject:
        # Single logout names the person as the provider did, format included.
        request.session[SESSION_NAME_ID_FORMAT] = entry["name_id_format"]
    return response
