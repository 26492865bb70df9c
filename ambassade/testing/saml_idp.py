"""A SAML 2.0 identity provider on 127.0.0.1, for the single sign-on tests.

pysaml2's ``Server`` reads our AuthnRequests and LogoutRequests (checking our redirect
signatures) and answers logouts; the assertions themselves are assembled here and signed
with xmlsec1, so that a test can also forge the bad ones a service provider must refuse:
unsigned, signed by another key, for another audience, expired, answering another
request. A browser reaches it through a tiny WSGI server::

    with LocalSamlIdp(users={"nora@verdier.example": {"givenName": ["Nora"]}}) as idp:
        connection.saml_metadata_xml = idp.metadata_xml
        ...
        idp.trust(sp_metadata(connection))
"""

from __future__ import annotations

import datetime
import html
import os
import secrets
import shutil
import tempfile
import threading
from base64 import b64encode
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_REDIRECT, SAMLError, class_name, saml
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.server import Server
from saml2.sigver import CryptoBackendXmlSec1, pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from ambassade.testing.saml_messages import (
    EMAIL_FORMAT,
    AuthnRequestSeen,
    key_pair,
    unsigned_response,
)

XMLSEC = "/usr/bin/xmlsec1"
PASSWORD = "correct horse battery staple"  # noqa: S105 (the test provider's)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


@dataclass
class LocalSamlIdp:
    users: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    single_logout: bool = True
    url: str = ""
    logouts_received: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="saml-idp-")
        self.key_pem, self.cert_pem = key_pair("Local SAML identity provider")
        self.other_key_pem, _other = key_pair("Somebody else")
        self.key_file = self._file("idp.key", self.key_pem)
        self.cert_file = self._file("idp.crt", self.cert_pem)
        self.other_key_file = self._file("other.key", self.other_key_pem)
        self.crypto = CryptoBackendXmlSec1(XMLSEC)
        self.server: Server | None = None
        self._pending: dict[str, AuthnRequestSeen] = {}
        self._httpd: WSGIServer | None = None
        self._metadata = ""

    def _file(self, name: str, content: str) -> str:
        path = os.path.join(self._dir, name)
        with open(path, "w") as handle:
            handle.write(content)
        return path

    # --- Running ------------------------------------------------------------------------

    def __enter__(self) -> LocalSamlIdp:
        self._httpd = make_server("127.0.0.1", 0, self._app, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)

    @property
    def entity_id(self) -> str:
        return f"{self.url}/metadata"

    def _config(self, sp_metadata: str = "") -> IdPConfig:
        endpoints: dict[str, Any] = {
            "single_sign_on_service": [(f"{self.url}/sso", BINDING_HTTP_REDIRECT)]
        }
        if self.single_logout:
            endpoints["single_logout_service"] = [(f"{self.url}/slo", BINDING_HTTP_REDIRECT)]
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC,
                "key_file": self.key_file,
                "cert_file": self.cert_file,
                "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
                "accepted_time_diff": 60,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "service": {
                    "idp": {
                        "endpoints": endpoints,
                        "want_authn_requests_signed": True,
                        "name_id_format": [EMAIL_FORMAT],
                    }
                },
            }
        )
        return config

    @property
    def metadata_xml(self) -> str:
        if not self._metadata:
            self._metadata = str(entity_descriptor(self._config()))
        return self._metadata

    def trust(self, sp_metadata: str) -> None:
        """Knows the service provider from now on (its ACS, its signing certificate)."""
        self.server = Server(config=self._config(sp_metadata))

    # --- Reading the service provider's messages -----------------------------------------

    def read_request(self, location: str) -> AuthnRequestSeen:
        """The AuthnRequest in a redirect to our SSO address; its signature is checked."""
        assert self.server is not None, "call trust() with the SP's metadata first"
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        parsed = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        message = parsed.message
        return AuthnRequestSeen(
            message.id,
            message.issuer.text,
            message.assertion_consumer_service_url,
            query.get("RelayState", ""),
        )

    # --- Answers, good and forged -----------------------------------------------------------

    def response(
        self,
        request: AuthnRequestSeen,
        email: str,
        *,
        attributes: dict[str, list[str]] | None = None,
        audience: str | None = None,
        in_response_to: str | None = None,
        not_on_or_after: datetime.datetime | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
        signed_by_another_key: bool = False,
        issuer: str | None = None,
        session_index: str = "",
    ) -> str:
        """A base64 SAMLResponse answering ``request`` for ``email``; every keyword
        argument makes it wrong in one precise way."""
        values = attributes if attributes is not None else self.users.get(email, {})
        response = unsigned_response(
            request,
            email,
            values,
            issuer=issuer or self.entity_id,
            audience=audience or request.sp_entity_id,
            in_response_to=request.id if in_response_to is None else in_response_to,
            not_on_or_after=not_on_or_after,
            session_index=session_index,
        )
        assertion = response.assertion[0]
        key_file = self.other_key_file if signed_by_another_key else self.key_file
        if sign_assertion:
            assertion.signature = pre_signature_part(
                assertion.id, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
            )
        if sign_response:
            response.signature = pre_signature_part(
                response.id, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
            )
        xml = str(response)
        if sign_assertion:
            xml = self.crypto.sign_statement(xml, class_name(assertion), key_file, assertion.id)
        if sign_response:
            xml = self.crypto.sign_statement(xml, class_name(response), key_file, response.id)
        data = xml if isinstance(xml, bytes) else xml.encode()
        return b64encode(data).decode()

    def logout_request_url(self, sp_entity_id: str, name_id: str) -> str:
        """An IdP-initiated, signed LogoutRequest, as the address the browser follows."""
        assert self.server is not None
        destination = self.server.metadata.single_logout_service(
            sp_entity_id, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        _id, message = self.server.create_logout_request(
            destination,
            sp_entity_id,
            name_id=saml.NameID(text=name_id, format=EMAIL_FORMAT),
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(message),
            destination,
            relay_state="idp",
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return str(dict(info["headers"])["Location"])

    # --- The web pages --------------------------------------------------------------------

    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        query = environ.get("QUERY_STRING", "")
        try:
            if path == "/sso":
                return self._login_page(f"{self.url}/sso?{query}", start_response)
            if path == "/login" and environ["REQUEST_METHOD"] == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = {
                    k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()
                }
                return self._answer(form, start_response)
            if path == "/slo":
                return self._logout(query, start_response)
            if path == "/metadata":
                start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
                return [self.metadata_xml.encode()]
        except (SAMLError, KeyError, ValueError) as error:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [f"refused: {type(error).__name__}".encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _page(self, start_response: Any, body: str) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [f"<!doctype html><html><body>{body}</body></html>".encode()]

    def _login_page(self, location: str, start_response: Any) -> list[bytes]:
        seen = self.read_request(location)
        token = secrets.token_urlsafe(16)
        self._pending[token] = seen
        options = "".join(f"<option>{html.escape(email)}</option>" for email in self.users)
        return self._page(
            start_response,
            f'<h1>Local identity provider</h1><form method="post" action="/login">'
            f'<input type="hidden" name="token" value="{token}">'
            f'<label>Person <select name="email">{options}</select></label>'
            f'<label>Password <input type="password" name="password"></label>'
            f'<button type="submit">Sign in</button></form>',
        )

    def _answer(self, form: dict[str, str], start_response: Any) -> list[bytes]:
        seen = self._pending.pop(form["token"])
        if form.get("password") != PASSWORD or form.get("email") not in self.users:
            return self._page(start_response, "<p>Wrong password</p>")
        encoded = self.response(seen, form["email"])
        # Inline script is fine here: this page is the provider's, not Ambassade's.
        return self._page(
            start_response,
            f'<form id="post" method="post" action="{html.escape(seen.acs_url)}">'
            f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(seen.relay_state)}">'
            f'<button type="submit">Continue</button></form>'
            f'<script>document.getElementById("post").submit()</script>',
        )

    def _logout(self, query: str, start_response: Any) -> list[bytes]:
        assert self.server is not None
        values = {k: v[0] for k, v in parse_qs(query).items()}
        parsed = self.server.parse_logout_request(
            values["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=values.get("RelayState"),
            sigalg=values.get("SigAlg"),
            signature=values.get("Signature"),
        )
        self.logouts_received.append(parsed.message.name_id.text)
        answer = self.server.create_logout_response(
            parsed.message, [BINDING_HTTP_REDIRECT], sign=False
        )
        destination = self.server.metadata.single_logout_service(
            parsed.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(answer),
            destination,
            relay_state=values.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        start_response("302 Found", [("Location", dict(info["headers"])["Location"])])
        return [b""]
