"""SAML single logout, both ways, with the HTTP-Redirect binding.

Ours: ``logout_url`` gives an address of ours carrying (signed by Django, for a few
minutes) the NameID and session index of the person's SAML session, so it still works
after the Django session is gone; that address signs the person out here and sends a
signed LogoutRequest to the provider, whose LogoutResponse comes back to the SLS.
The provider's: a signed LogoutRequest arrives at the SLS; we sign the person out and
answer with a signed LogoutResponse.

Redirect-binding signatures cover the query string as sent, so they are checked on the raw
query (re-encoding the values would break signatures from providers that encode
differently), with the provider's certificates from its metadata.
"""

from __future__ import annotations

import secrets
import time
from base64 import b64decode
from typing import Any
from urllib.parse import unquote_plus

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from saml2 import BINDING_HTTP_REDIRECT
from saml2.saml import NameID
from saml2.samlp import STATUS_SUCCESS, STATUS_UNKNOWN_PRINCIPAL, Status, StatusCode
from saml2.xmldsig import SIG_RSA_SHA256

from ambassade.identity import completion
from ambassade.identity.models import Connection
from ambassade.identity.refusals import Refused
from ambassade.identity.saml_config import (
    IdpMetadata,
    MetadataError,
    SamlSetupError,
    parse_idp_metadata,
    sp_client,
)

SALT = "identity.saml.logout"
TOKEN_MAX_AGE = 10 * 60
SESSION_LOGOUTS = "saml_logouts"
SESSION_NAME_ID = "identity_name_id"
SESSION_INDEX = "identity_session_index"
SESSION_NAME_ID_FORMAT = "identity_name_id_format"
HASHES: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}


def _idp(connection: Connection) -> IdpMetadata | None:
    try:
        return parse_idp_metadata(connection.saml_metadata_xml)
    except MetadataError:
        return None


def logout_url(request: HttpRequest, connection: Connection) -> str | None:
    """Our address that ends the provider's session too, or None when the provider has
    no single logout or this session did not sign in through SAML."""
    idp = _idp(connection)
    name_id = request.session.get(SESSION_NAME_ID, "")
    if idp is None or not idp.slo_redirect_url or not name_id:
        return None
    token = signing.dumps(
        {
            "connection": connection.pk,
            "name_id": name_id,
            "format": request.session.get(SESSION_NAME_ID_FORMAT, ""),
            "session_index": request.session.get(SESSION_INDEX, ""),
        },
        salt=SALT,
    )
    return f"{reverse('identity:saml_logout', args=[connection.pk])}?token={token}"


def send_logout_request(request: HttpRequest, connection: Connection) -> HttpResponse:
    """Signs the person out here, then sends them to the provider with a LogoutRequest."""
    try:
        data: dict[str, Any] = signing.loads(
            request.GET.get("token", ""), salt=SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("accounts:login")
    if data.get("connection") != connection.pk:
        return redirect("accounts:login")
    if request.session.get(SESSION_NAME_ID) == data["name_id"]:
        logout(request)
    idp = _idp(connection)
    if idp is None or not idp.slo_redirect_url:
        return redirect("accounts:login")
    relay = secrets.token_urlsafe(24)
    try:
        with sp_client(connection) as client:
            request_id, message = client.create_logout_request(
                idp.slo_redirect_url,
                idp.entity_id,
                name_id=NameID(text=data["name_id"], format=data.get("format") or None),
                session_indexes=[data["session_index"]] if data.get("session_index") else None,
                sign=False,  # the redirect binding signs the query string instead
            )
            info = client.apply_binding(
                BINDING_HTTP_REDIRECT,
                str(message),
                idp.slo_redirect_url,
                relay_state=relay,
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
    except SamlSetupError:
        return redirect("accounts:login")
    logouts = request.session.get(SESSION_LOGOUTS, {})
    logouts[request_id] = {"connection": connection.pk, "relay": relay, "at": time.time()}
    request.session[SESSION_LOGOUTS] = logouts
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def _raw_parameters(query: str) -> dict[str, str]:
    raw: dict[str, str] = {}
    for part in query.split("&"):
        name, _sep, value = part.partition("=")
        raw.setdefault(name, value)
    return raw


def _check_signature(request: HttpRequest, idp: IdpMetadata, kind: str) -> None:
    """The redirect binding's signature over the raw query, or ``Refused``."""
    raw = _raw_parameters(request.META.get("QUERY_STRING", ""))
    if "Signature" not in raw or "SigAlg" not in raw:
        raise Refused("protocol", f"signature: the {kind} is not signed")
    algorithm = HASHES.get(unquote_plus(raw["SigAlg"]))
    if algorithm is None:
        raise Refused("protocol", f"signature: algorithm not accepted ({raw['SigAlg'][:80]})")
    signed = "&".join(
        f"{name}={raw[name]}" for name in (kind, "RelayState", "SigAlg") if name in raw
    ).encode()
    try:
        signature = b64decode(unquote_plus(raw["Signature"]), validate=True)
    except ValueError:
        raise Refused("protocol", "malformed base64: Signature") from None
    for certificate in idp.signing_certificates:
        key = x509.load_der_x509_certificate(b64decode(certificate)).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature, signed, padding.PKCS1v15(), algorithm())
            return
        except InvalidSignature:
            continue
    raise Refused(
        "protocol", f"signature: the {kind} does not verify with the provider's certificate"
    )


def _logout_response(
    request: HttpRequest, connection: Connection, idp: IdpMetadata
) -> HttpResponse:
    _check_signature(request, idp, "SAMLResponse")
    with sp_client(connection) as client:
        try:
            response = client.parse_logout_request_response(
                request.GET["SAMLResponse"], BINDING_HTTP_REDIRECT
            )
        except Exception as error:  # pysaml2's parse and check errors
            raise Refused("protocol", f"malformed XML: {type(error).__name__}") from None
    if response is None:
        raise Refused("protocol", "malformed response: the LogoutResponse did not verify")
    issuer = (response.response.issuer.text or "").strip() if response.response.issuer else ""
    if issuer != idp.entity_id:
        raise Refused("protocol", f"unknown issuer: {issuer[:200] or '(none)'}")
    logouts = request.session.get(SESSION_LOGOUTS, {})
    entry = logouts.pop(response.in_response_to or "", None)
    if entry is None or entry["connection"] != connection.pk:
        raise Refused("protocol", "InResponseTo unknown: no logout request of ours")
    request.session[SESSION_LOGOUTS] = logouts
    return redirect("accounts:login")


def _logout_request(request: HttpRequest, connection: Connection, idp: IdpMetadata) -> HttpResponse:
    _check_signature(request, idp, "SAMLRequest")
    with sp_client(connection) as client:
        try:
            parsed = client.parse_logout_request(request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT)
        except Exception as error:  # pysaml2's parse and check errors
            raise Refused("protocol", f"malformed XML: {type(error).__name__}") from None
        if parsed is None:
            raise Refused("protocol", "malformed XML: not a LogoutRequest")
        message = parsed.message
        issuer = (message.issuer.text or "").strip() if message.issuer else ""
        if issuer != idp.entity_id:
            raise Refused("protocol", f"unknown issuer: {issuer[:200] or '(none)'}")
        name_id = (message.name_id.text or "").strip() if message.name_id else ""
        signed_in_here = (
            request.session.get(completion.SESSION_CONNECTION_KEY) == connection.pk
            and request.session.get(SESSION_NAME_ID) == name_id
        )
        if signed_in_here:
            logout(request)
        code = STATUS_SUCCESS if signed_in_here else STATUS_UNKNOWN_PRINCIPAL
        answer = client.create_logout_response(
            message,
            [BINDING_HTTP_REDIRECT],
            status=Status(status_code=StatusCode(value=code)),
            sign=False,
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(answer),
            idp.slo_redirect_url,
            relay_state=request.GET.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def single_logout_service(request: HttpRequest, connection: Connection) -> HttpResponse:
    idp = _idp(connection)
    try:
        if idp is None or not idp.slo_redirect_url:
            raise Refused("protocol", "setup: the provider's metadata has no single logout")
        if "SAMLResponse" in request.GET:
            return _logout_response(request, connection, idp)
        if "SAMLRequest" in request.GET:
            return _logout_request(request, connection, idp)
        raise Refused("protocol", "malformed request: neither SAMLRequest nor SAMLResponse")
    except (Refused, SamlSetupError) as error:
        refusal = error if isinstance(error, Refused) else Refused("protocol", error.message)
        return completion.fail(request, connection, refusal, mode=completion.SIGN_IN)
