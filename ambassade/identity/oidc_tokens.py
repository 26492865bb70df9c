"""The back channel of OpenID Connect: the code exchanged at the token endpoint, the ID
token verified against the provider's key set, the userinfo endpoint's claims merged.

Each check that fails raises ``Refused("protocol", detail)``; the detail starts with the
name of what failed ("signature", "issuer", "audience", "expired", "nonce mismatch",
"token endpoint answered 400 invalid_grant", ...), for the audit log and the admin.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from typing import Any
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.utils.translation import gettext as _
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import Key, KeySet

from ambassade.core import outbound
from ambassade.identity.models import Connection
from ambassade.identity.oidc import MAX_DOCUMENT_BYTES, TIMEOUT_SECONDS, get_json
from ambassade.identity.refusals import Refused
from ambassade.sharing.crypto import decrypt

LEEWAY = 60  # seconds of clock skew tolerated on exp, iat and nbf
JWKS_TTL = 300
# Signatures by the provider's own (public) keys only: never "none", never a shared secret.
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
# Claims about the token itself, not about the person: left out of the assertion.
PROTOCOL_CLAIMS = frozenset(
    {"iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "s_hash"}
    | {"auth_time", "jti", "sid", "acr", "amr"}
    | {"uti", "rh", "tid", "ver", "aio"}  # Entra ID's own
)
ERROR_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")


def _refused(detail: str) -> Refused:
    return Refused("protocol", detail)


def _secret(connection: Connection) -> str:
    if not connection.oidc_client_secret:
        return ""
    return str(decrypt(connection.oidc_client_secret).get("client_secret", ""))


def _token_error(response: outbound.Response) -> str:
    try:
        error = json.loads(response.body).get("error", "")
    except (ValueError, AttributeError):
        error = ""
    shown = error if isinstance(error, str) and ERROR_CODE.match(error) else "(no error code)"
    return f"token endpoint answered {response.status} {shown}"


def exchange_code(
    document: dict[str, Any], connection: Connection, *, code: str, redirect_uri: str, verifier: str
) -> dict[str, Any]:
    """The token endpoint's answer, with an ``id_token``. The client authenticates with
    HTTP Basic (client_secret_basic), or in the form when the provider offers only that."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    if "client_secret_basic" not in methods and "client_secret_post" in methods:
        data.update(client_id=connection.oidc_client_id, client_secret=_secret(connection))
    else:
        # RFC 6749 2.3.1: both are form-encoded before Basic's base64.
        pair = f"{quote(connection.oidc_client_id, safe='')}:{quote(_secret(connection), safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    try:
        response = outbound.fetch(
            document["token_endpoint"],
            method="POST",
            content=urlencode(data).encode(),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            max_bytes=MAX_DOCUMENT_BYTES,
            max_redirects=0,
        )
    except outbound.OutboundError as error:
        raise _refused(f"token endpoint unreachable ({error.code})") from None
    if response.status != 200:
        raise _refused(_token_error(response))
    try:
        tokens = json.loads(response.body)
    except ValueError:
        raise _refused("token endpoint answered 200 without JSON") from None
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise _refused("token endpoint answered without an id_token")
    return tokens


def _key_set(document: dict[str, Any], *, fresh: bool = False) -> KeySet:
    key = "identity:oidc:jwks:" + hashlib.sha256(document["jwks_uri"].encode()).hexdigest()
    found = None if fresh else cache.get(key)
    if found is None:
        found = get_json(document["jwks_uri"], _("the key set (jwks_uri)"))
        cache.set(key, found, JWKS_TTL)
    try:
        return KeySet.import_key_set(found)
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise _refused(f"signature: the key set cannot be read ({type(error).__name__})") from None


def _algorithms(document: dict[str, Any], key_set: KeySet) -> set[str]:
    """The algorithms the provider's keys say they are for, or its discovery document."""
    named = {key.alg for key in key_set if key.alg}
    if not named:
        named = set(document.get("id_token_signing_alg_values_supported") or ["RS256"])
    return named & set(ASYMMETRIC)


def _candidates(key_set: KeySet, kid: str | None, alg: str) -> list[Key]:
    kty = "EC" if alg.startswith("ES") else "RSA"
    keys = [key for key in key_set if key.key_type == kty and key.alg in (None, alg)]
    if kid is not None:
        return [key for key in keys if key.kid == kid]
    return keys  # no kid: each key of the right type is tried


def _verify_signature(document: dict[str, Any], id_token: str) -> dict[str, Any]:
    try:
        header = jws.extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError, TypeError):
        raise _refused("signature: the ID token is not a signed JWT") from None
    alg, kid = header.get("alg"), header.get("kid")
    key_set = _key_set(document)
    if alg not in _algorithms(document, key_set):
        raise _refused(f"signature: algorithm {str(alg)[:20]} not accepted")
    keys = _candidates(key_set, kid, alg)
    if not keys:  # a new key the cached set does not have yet
        keys = _candidates(_key_set(document, fresh=True), kid, alg)
    if not keys:
        raise _refused(f"signature: no key {str(kid)[:60]} in the provider's key set")
    for key in keys:
        try:
            return dict(jwt.decode(id_token, key, algorithms=[alg]).claims)
        except BadSignatureError:
            continue
        except JoseError as error:
            raise _refused(f"signature: {type(error).__name__}") from None
    raise _refused("signature: does not verify with the provider's keys")


def _check_times(claims: dict[str, Any]) -> None:
    """exp, iat and nbf, with ``LEEWAY`` seconds of clock skew either way."""
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY, exp={"essential": True}, iat={"essential": True}
    )
    times: dict[str, Any] = {k: claims[k] for k in ("exp", "iat", "nbf") if k in claims}
    try:
        registry.validate(times)
    except ExpiredTokenError:
        raise _refused(f"expired: exp {times['exp']} is past, beyond {LEEWAY} s") from None
    except MissingClaimError as error:
        raise _refused(f"missing claim: {error.claim}") from None
    except InvalidClaimError as error:
        words = {"iat": "issued in the future", "nbf": "not yet valid"}
        detail = words.get(error.claim, "invalid time") if error.claim in times else "invalid"
        raise _refused(f"{detail}: {error.claim} {str(times.get(error.claim))[:30]}") from None


def verify_id_token(
    document: dict[str, Any], connection: Connection, id_token: str, *, nonce: str
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times and nonce check."""
    claims = _verify_signature(document, id_token)
    issuer = document["issuer"]
    if claims.get("iss") != issuer:
        raise _refused(f"issuer: {str(claims.get('iss'))[:200]} is not {issuer}")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    client_id = connection.oidc_client_id
    if not isinstance(audiences, list) or client_id not in audiences:
        raise _refused(f"audience: {str(audience)[:200]} does not contain the client id")
    azp = claims.get("azp")
    if len(audiences) > 1 and azp is None:
        raise _refused("audience: several audiences and no azp")
    if azp is not None and azp != client_id:
        raise _refused(f"audience: azp {str(azp)[:100]} is not the client id")
    _check_times(claims)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise _refused("missing claim: sub")
    token_nonce = claims.get("nonce")
    if not isinstance(token_nonce, str) or not secrets.compare_digest(token_nonce, nonce):
        raise _refused("nonce mismatch")
    return {k: v for k, v in claims.items() if k not in PROTOCOL_CLAIMS}


def with_userinfo(
    document: dict[str, Any], access_token: Any, claims: dict[str, Any]
) -> dict[str, Any]:
    """The ID token's claims completed by the userinfo endpoint's, when it has one."""
    endpoint = document.get("userinfo_endpoint")
    if not isinstance(endpoint, str) or not isinstance(access_token, str) or not access_token:
        return claims
    answered = get_json(
        endpoint,
        _("the userinfo endpoint"),
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    if not isinstance(answered, dict):
        raise _refused("userinfo: not a JSON object")
    if answered.get("sub") != claims["sub"]:
        raise _refused("userinfo: its sub is not the ID token's")
    extra = {k: v for k, v in answered.items() if k not in PROTOCOL_CLAIMS}
    return {**claims, **extra}
