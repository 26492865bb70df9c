"""Our SP metadata, the provider's metadata read for the console, and the expired
assertion ids forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from ambassade.core.periodic import REGISTRY
from ambassade.identity.models import SeenAssertion
from ambassade.identity.saml_config import (
    MetadataError,
    fetch_idp_metadata,
    read_idp_metadata,
    sp_values,
)
from ambassade.identity.tasks import forget_expired_assertions
from ambassade.identity.tests.saml_support import SamlBrowser, browser_of_nora, saml_idp
from ambassade.testing.local_site import page_of, serve

pytestmark = pytest.mark.django_db
__all__ = ["browser_of_nora", "saml_idp"]  # fixtures

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def test_our_metadata_is_public_xml_with_entity_id_acs_sls_and_certificate(
    browser_of_nora: SamlBrowser, client
) -> None:
    connection = browser_of_nora.connection
    values = sp_values(connection)
    answer = client.get(f"/sso/saml/{connection.pk}/metadata")  # nobody signed in
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/samlmetadata+xml")
    root = ElementTree.fromstring(answer.content)
    assert root.get("entityID") == values["entity_id"] == values["metadata_url"]
    assert values["entity_id"].endswith(f"/sso/saml/{connection.pk}/metadata")
    [sp] = root.findall(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    [acs] = sp.findall(f"{MD}AssertionConsumerService")
    assert acs.get("Location") == values["acs_url"]
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    [sls] = sp.findall(f"{MD}SingleLogoutService")
    assert sls.get("Location") == values["sls_url"]
    certificate = sp.find(f"{MD}KeyDescriptor/{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate")
    assert certificate is not None
    pem_body = "".join(connection.saml_sp_certificate.splitlines()[1:-1])
    assert "".join(certificate.text.split()) == pem_body


def test_the_providers_metadata_gives_its_entity_id(browser_of_nora: SamlBrowser) -> None:
    idp = browser_of_nora.idp
    assert read_idp_metadata(idp.metadata_xml) == idp.entity_id


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("this is not xml", "not XML"),
        ("<html><body>Sign in</body></html>", "no EntityDescriptor"),
        (
            '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
            "<SPSSODescriptor/></EntityDescriptor>",
            "IDPSSODescriptor",
        ),
        (
            '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
            '<IDPSSODescriptor><SingleSignOnService Location="https://idp/sso" Binding="'
            'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/></IDPSSODescriptor>'
            "</EntityDescriptor>",
            "signing certificate",
        ),
    ],
    ids=["text", "html", "no-idp", "no-certificate"],
)
def test_unusable_metadata_is_refused_with_a_plain_reason(xml: str, reason: str) -> None:
    with pytest.raises(MetadataError) as refused:
        read_idp_metadata(xml)
    assert reason in refused.value.message


def test_metadata_without_a_redirect_sso_address_is_refused(browser_of_nora: SamlBrowser) -> None:
    xml = browser_of_nora.idp.metadata_xml.replace(
        "SingleSignOnService", "ArtifactResolutionService"
    )
    with pytest.raises(MetadataError, match="single sign-on address"):
        read_idp_metadata(xml)


def test_expired_assertion_ids_are_forgotten_every_hour(browser_of_nora: SamlBrowser) -> None:
    connection = browser_of_nora.connection
    now = timezone.now()
    SeenAssertion.objects.create(
        connection=connection, assertion_id="_old", expires_at=now - timedelta(minutes=1)
    )
    SeenAssertion.objects.create(
        connection=connection, assertion_id="_live", expires_at=now + timedelta(minutes=5)
    )
    assert REGISTRY[forget_expired_assertions.module_path].interval == timedelta(hours=1)
    assert forget_expired_assertions.call() == 1
    assert list(SeenAssertion.objects.values_list("assertion_id", flat=True)) == ["_live"]


def test_the_providers_metadata_is_fetched_from_its_address(browser_of_nora: SamlBrowser) -> None:
    xml = browser_of_nora.idp.metadata_xml.encode()
    with serve({"/federationmetadata.xml": page_of("application/samlmetadata+xml", xml)}) as site:
        fetched = fetch_idp_metadata(f"{site.url}/federationmetadata.xml")
        assert read_idp_metadata(fetched) == browser_of_nora.idp.entity_id
        with pytest.raises(MetadataError, match="404"):
            fetch_idp_metadata(f"{site.url}/elsewhere.xml")
