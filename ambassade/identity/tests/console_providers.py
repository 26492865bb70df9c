"""The protocol modules' doors, as the console and the sign-in page use them, answered
here: the OIDC and SAML exchanges are tested by their own modules (test_oidc*, test_saml*),
against the local providers; the console tests check what Ambassade does with their
answers (precise errors shown, secrets kept, the start called with the right mode).

``install(monkeypatch)`` replaces ``discover``, ``redirect_uri``, ``read_idp_metadata``,
``start`` and ``logout_url`` for one test and records the calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from defusedxml.ElementTree import ParseError, fromstring
from django.http import HttpResponseRedirect

IDP = "https://idp.example.com"
METADATA = (
    '<?xml version="1.0"?><md:EntityDescriptor '
    'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">'
    "<md:IDPSSODescriptor protocolSupportEnumeration="
    '"urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>'
)


@dataclass
class Provider:
    # (connection name, mode, next) of each start
    started: list[tuple[str, str, str]] = field(default_factory=list)
    discovered: list[str] = field(default_factory=list)
    # What discover() refuses, as the OIDC module would say it; empty: it answers.
    discovery_error: str = ""
    logout: str | None = None

    def start_url(self, connection: Any) -> str:
        return f"{IDP}/authorize?client={connection.pk}"


def install(monkeypatch: Any) -> Provider:
    provider = Provider()
    from ambassade.identity import oidc, saml, saml_config

    def discover(issuer: str) -> dict[str, str]:
        provider.discovered.append(issuer)
        if provider.discovery_error:
            raise ValueError(provider.discovery_error)
        return {"issuer": issuer, "authorization_endpoint": f"{issuer}/authorize"}

    def redirect_uri(request: Any, connection: Any) -> str:
        return request.build_absolute_uri(f"/sso/oidc/{connection.pk}/callback")

    def read_idp_metadata(xml: str) -> str:
        try:
            root = fromstring(xml)
        except ParseError as error:
            raise ValueError(f"not XML ({error})") from None
        entity_id = root.get("entityID")
        if not root.tag.endswith("EntityDescriptor") or not entity_id:
            raise ValueError("no EntityDescriptor with an entityID")
        return entity_id

    def start(request: Any, connection: Any, *, mode: str, next_url: str = "") -> Any:
        provider.started.append((connection.name, mode, next_url))
        return HttpResponseRedirect(provider.start_url(connection))

    def logout_url(request: Any, connection: Any) -> str | None:
        return provider.logout

    for module in (oidc, saml):
        monkeypatch.setattr(module, "start", start)
        monkeypatch.setattr(module, "logout_url", logout_url)
    monkeypatch.setattr(oidc, "discover", discover)
    monkeypatch.setattr(oidc, "redirect_uri", redirect_uri)
    monkeypatch.setattr(saml_config, "read_idp_metadata", read_idp_metadata)
    return provider
