"""Single logout with the local provider: ours (a signed LogoutRequest, its response
checked) and the provider's (its signed LogoutRequest signs the person out here)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from django.test import RequestFactory

from ambassade.core.models import AuditEvent
from ambassade.identity import protocols
from ambassade.identity.saml_config import entity_id
from ambassade.identity.tests.saml_support import (
    NORA,
    SamlBrowser,
    browser_of_nora,
    saml_connection,
    saml_idp,
)
from ambassade.testing.saml_idp import LocalSamlIdp

pytestmark = pytest.mark.django_db
__all__ = ["browser_of_nora", "saml_idp"]  # fixtures


def signed_in(browser: SamlBrowser) -> SamlBrowser:
    request = browser.start(next_url="/me/home/")
    assert browser.post(browser.idp.response(request, NORA), request.relay_state).status_code == 302
    assert browser.client.get("/me/home/").status_code == 200
    return browser


def logout_url(browser: SamlBrowser) -> str | None:
    request = RequestFactory().get("/")
    request.session = browser.client.session
    return protocols.logout_url(request, browser.connection)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def refusals() -> list[str]:
    events = AuditEvent.objects.filter(action="identity.sign_in_refused")
    return [str(event.after["detail"]) for event in events]


def test_signing_out_ends_the_providers_session_too(browser_of_nora: SamlBrowser) -> None:
    nora = signed_in(browser_of_nora)
    url = logout_url(nora)
    assert url is not None and url.startswith(f"/sso/saml/{nora.connection.pk}/logout?")
    to_idp = nora.client.get(url)
    assert to_idp.status_code == 302
    assert to_idp["Location"].startswith(f"{nora.idp.url}/slo?SAMLRequest=")
    assert "&Signature=" in to_idp["Location"]
    assert nora.client.get("/me/home/").status_code == 302  # signed out here already
    # The provider checks our signature, ends its session and answers, signed.
    back = httpx.get(to_idp["Location"], follow_redirects=False)
    assert back.status_code == 302, back.text
    assert nora.idp.logouts_received == [NORA]
    done = nora.client.get(local(back.headers["location"]))
    assert done.status_code == 302, refusals()
    assert done["Location"] == "/accounts/login/"
    assert refusals() == []
    # The same answer twice: our request was answered already.
    assert nora.client.get(local(back.headers["location"])).status_code == 403
    assert refusals() == ["InResponseTo unknown: no logout request of ours"]


def test_a_logout_response_with_a_broken_signature_is_refused(browser_of_nora: SamlBrowser) -> None:
    nora = signed_in(browser_of_nora)
    to_idp = nora.client.get(logout_url(nora) or "")
    back = httpx.get(to_idp["Location"], follow_redirects=False).headers["location"]
    tampered = back.replace("RelayState=", "RelayState=x")
    assert nora.client.get(local(tampered)).status_code == 403
    assert refusals() == [
        "signature: the SAMLResponse does not verify with the provider's certificate"
    ]


def test_the_providers_logout_request_signs_nora_out(browser_of_nora: SamlBrowser) -> None:
    nora = signed_in(browser_of_nora)
    url = nora.idp.logout_request_url(entity_id(nora.connection), NORA)
    answer = nora.client.get(local(url))
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{nora.idp.url}/slo?SAMLResponse=")
    assert "&Signature=" in answer["Location"]
    assert nora.client.get("/me/home/").status_code == 302


def test_an_unsigned_logout_request_changes_nothing(browser_of_nora: SamlBrowser) -> None:
    nora = signed_in(browser_of_nora)
    url = nora.idp.logout_request_url(entity_id(nora.connection), NORA)
    unsigned = url.split("&SigAlg=")[0]
    assert nora.client.get(local(unsigned)).status_code == 403
    assert refusals() == ["signature: the SAMLRequest is not signed"]
    assert nora.client.get("/me/home/").status_code == 200


def test_no_single_logout_when_the_provider_offers_none(client) -> None:
    with LocalSamlIdp(users={NORA: {"email": [NORA]}}, single_logout=False) as idp:
        nora = signed_in(SamlBrowser(client, saml_connection(idp), idp))
        assert logout_url(nora) is None
