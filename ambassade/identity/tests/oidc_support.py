"""What the test_oidc modules share: Verdier's OpenID Connect connection, a person's
browser between Ambassade and a provider (over HTTP, with Django's test client), and
two local providers:

- ``oidc-provider-mock`` (a real provider: discovery, consent page, token endpoint,
  userinfo, end of session), started once per module by the ``mock_provider`` fixture;
- ``ForgingProvider``: a provider of our own whose ID tokens a test shapes (another
  audience, an old ``exp``, a foreign key...), to see each check refuse them. Its token
  endpoint checks the PKCE verifier and the client's authentication like a real one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from ambassade.accounts.models import User
from ambassade.core.models import AuditEvent
from ambassade.identity.models import Connection, LinkedIdentity, Protocol, UnknownPeople
from ambassade.people.models import Person
from ambassade.sharing.crypto import encrypt
from ambassade.testing.factories import OrganisationFactory
from ambassade.testing.local_site import operator_allows

CLIENT_ID = "ambassade-verdier"
CLIENT_SECRET = "s3cret+with/odd=characters"
NORA = "nora@verdier.example"
# oidc-provider-mock uses authlib's older interfaces: their deprecation warnings are its own.
QUIET_MOCK = [pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")]
JEANNE = "jeanne@verdier.example"  # her provider has no family name for her


def verdier_connection(issuer: str, **fields: Any) -> Connection:
    organisation = OrganisationFactory(name="Verdier", slug="verdier-oidc")
    values: dict[str, Any] = {
        "organisation": organisation,
        "name": "Verdier SSO",
        "protocol": Protocol.OIDC,
        "domains": ["verdier.example"],
        "unknown_people": UnknownPeople.CREATE,
        "oidc_issuer": issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": encrypt({"client_secret": CLIENT_SECRET}),
        **fields,
    }
    return Connection.objects.create(**values)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def refusal_detail() -> str:
    event = AuditEvent.objects.filter(action="identity.sign_in_refused").latest("id")
    assert event.after["reason"] == "protocol", event.after
    return str(event.after["detail"])


def nothing_written() -> bool:
    return (
        not Person.objects.exists()
        and not User.objects.exists()
        and not LinkedIdentity.objects.exists()
    )


@dataclass
class OidcBrowser:
    """A person's browser: starts at Ambassade, comes back to the redirect URI."""

    client: Client
    connection: Connection

    def start(self, query: str = "") -> dict[str, str]:
        """The parameters Ambassade sent the browser to the provider with."""
        answer = self.client.get(f"/sso/oidc/{self.connection.pk}/start{query}")
        assert answer.status_code == 302, answer.content[:500]
        return query_of(answer["Location"]) | {"_url": answer["Location"]}

    def back(self, redirect_to: str) -> Any:
        """The provider's redirect, followed to Ambassade's callback."""
        parts = urlsplit(redirect_to)
        assert parts.path == f"/sso/oidc/{self.connection.pk}/callback", redirect_to
        return self.client.get(parts.path, query_of(redirect_to))


# --- oidc-provider-mock -------------------------------------------------------------


@pytest.fixture(scope="module")
def mock_provider() -> Iterator[str]:
    """The mock provider's issuer, with Nora, and Jeanne who has no family name."""
    import authlib.deprecate  # noqa: F401 (its "always" filter first, then ours over it)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import User as MockUser
        from oidc_provider_mock import run_server_in_thread

    users = [
        MockUser(
            sub="nora", claims={"email": NORA, "given_name": "Nora", "family_name": "Lambert"}
        ),
        MockUser(sub="jeanne", claims={"email": JEANNE, "given_name": "Jeanne"}),
    ]
    with (
        run_server_in_thread(user_claims=users) as server,
        operator_allows(f"localhost:{server.server_port}"),  # the intranet provider
    ):
        yield f"http://localhost:{server.server_port}"


def consent(authorize_url: str, sub: str = "nora", *, deny: bool = False) -> str:
    """The person's choice on the mock provider's page: where it sends them back."""
    data = {"action": "deny"} if deny else {"sub": sub}
    answer = httpx.post(authorize_url, data=data, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["location"]


# --- the forging provider -------------------------------------------------------------


@dataclass
class ForgingProvider:
    """Discovery, key set, token and userinfo endpoints over HTTP; the authorisation is
    given in-process by ``authorise``. ``claims`` changes the next ID tokens (None
    removes a claim); ``sign_with`` signs them with another key."""

    url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    sign_with: RSAKey | OctKey | None = None
    alg: str = "RS256"
    claims: dict[str, Any] = field(default_factory=dict)
    userinfo: dict[str, Any] | None = None
    auth_methods: list[str] | None = None
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    served: list[str] = field(default_factory=list)  # the paths asked, in order

    @property
    def issuer(self) -> str:
        return f"{self.url}/good"

    def rotate_key(self) -> None:
        self.key = RSAKey.generate_key(2048, {"kid": f"k{len(self.served)}"})

    def reset(self) -> None:
        self.sign_with, self.alg, self.userinfo, self.auth_methods = None, "RS256", None, None
        self.claims = {}
        self.codes.clear()
        self.token_requests.clear()
        self.served.clear()

    def document(self, issuer: str) -> dict[str, Any]:
        found = {
            "issuer": issuer,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "end_session_endpoint": f"{self.url}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        if self.auth_methods is not None:
            found["token_endpoint_auth_methods_supported"] = self.auth_methods
        return found

    def authorise(self, authorize_url: str, sub: str = "nora-1") -> str:
        """The provider's redirect back, with a code bound to the request's parameters."""
        params = query_of(authorize_url)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**params, "sub": sub}
        return f"{params['redirect_uri']}?code={code}&state={params['state']}"

    def id_token(self, request: dict[str, str]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": request["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": request["nonce"],
            "email": NORA,
            "given_name": "Nora",
            "family_name": "Lambert",
        }
        claims.update(self.claims)
        claims = {name: value for name, value in claims.items() if value is not None}
        key = self.sign_with or self.key
        # A forged token names the provider's key all the same.
        header = {"alg": self.alg, "kid": self.key.kid}
        return jwt.encode(header, claims, key, algorithms=[self.alg])

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append({**form, "authorization": authorization})
        if authorization.startswith("Basic "):
            pair = base64.b64decode(authorization[6:]).decode()
            client_id, _colon, secret = (unquote(part) for part in pair.partition(":"))
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        request = self.codes.pop(form.get("code", ""), None)
        if request is None or request["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != request["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access = "at-" + request["sub"]
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "id_token": self.id_token(request),
        }

    def answer(
        self, method: str, target: str, form: dict[str, str], authorization: str
    ) -> tuple[int, Any]:
        route = urlsplit(target).path
        self.served.append(route)
        if route == "/good/.well-known/openid-configuration":
            return 200, self.document(self.issuer)
        if route == "/elsewhere/.well-known/openid-configuration":
            return 200, self.document(f"{self.url}/someone-else")
        if route == "/nojwks/.well-known/openid-configuration":
            return 200, {
                k: v for k, v in self.document(f"{self.url}/nojwks").items() if k != "jwks_uri"
            }
        if route == "/html/.well-known/openid-configuration":
            return 200, "<html>Welcome</html>"
        if route == "/jwks":
            return 200, {"keys": [self.key.as_dict(private=False, alg="RS256", use="sig")]}
        if route == "/token" and method == "POST":
            return self.token(form, authorization)
        if route == "/userinfo":
            sub = authorization.removeprefix("Bearer at-")
            return 200, self.userinfo if self.userinfo is not None else {"sub": sub, "locale": "fr"}
        return 404, {"error": "not_found"}


def _handler(provider: ForgingProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            form = {k: v[0] for k, v in parse_qs(body).items()}
            status, content = provider.answer(
                method, self.path, form, self.headers.get("Authorization", "")
            )
            raw = content.encode() if isinstance(content, str) else json.dumps(content).encode()
            self.send_response(status)
            kind = "text/html" if isinstance(content, str) else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    return Handler


@pytest.fixture(scope="module")
def forging_provider() -> Iterator[ForgingProvider]:
    provider = ForgingProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        with operator_allows(f"127.0.0.1:{server.server_port}"):
            yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)
