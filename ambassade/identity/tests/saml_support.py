"""A test organisation with a SAML connection to the local identity provider (fixtures
imported by the test_saml modules)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ambassade.identity.models import Connection, Protocol, UnknownPeople
from ambassade.identity.saml_config import make_sp_keypair, read_idp_metadata, sp_metadata
from ambassade.testing.factories import OrganisationFactory
from ambassade.testing.saml_idp import AuthnRequestSeen, LocalSamlIdp

NORA = "nora@verdier.example"
# Our key pair is made once per test run (RSA generation is slow on a loaded machine);
# every later connection reuses it.
_sp_key_pair: dict[str, str] = {}


@pytest.fixture(scope="module")
def saml_idp() -> Iterator[LocalSamlIdp]:
    users = {NORA: {"email": [NORA], "givenName": ["Nora"], "sn": ["Lambert"]}}
    with LocalSamlIdp(users=users) as idp:
        yield idp


def saml_connection(idp: LocalSamlIdp, **fields: Any) -> Connection:
    """Verdier's connection to the local provider, trusted both ways."""
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-saml")
    connection = Connection.objects.create(
        organisation=organisation,
        name="Verdier SSO",
        protocol=Protocol.SAML,
        domains=["verdier.example"],
        unknown_people=UnknownPeople.CREATE,
        saml_metadata_xml=idp.metadata_xml,
        saml_idp_entity_id=read_idp_metadata(idp.metadata_xml),
        **fields,
    )
    if not _sp_key_pair:
        make_sp_keypair(connection)
        _sp_key_pair["key"] = connection.saml_sp_private_key
        _sp_key_pair["certificate"] = connection.saml_sp_certificate
    connection.saml_sp_private_key = _sp_key_pair["key"]
    connection.saml_sp_certificate = _sp_key_pair["certificate"]
    connection.save()
    idp.trust(sp_metadata(connection))
    return connection


@dataclass
class SamlBrowser:
    """A person's browser between Ambassade and the local provider, over HTTP only."""

    client: Client
    connection: Connection
    idp: LocalSamlIdp

    def start(self, next_url: str = "") -> AuthnRequestSeen:
        query = f"?next={next_url}" if next_url else ""
        answer = self.client.get(f"/sso/saml/{self.connection.pk}/start{query}")
        assert answer.status_code == 302, answer.status_code
        assert answer["Location"].startswith(f"{self.idp.url}/sso?SAMLRequest=")
        return self.idp.read_request(answer["Location"])

    def post(self, saml_response: str, relay_state: str) -> Any:
        return self.client.post(
            f"/sso/saml/{self.connection.pk}/acs",
            {"SAMLResponse": saml_response, "RelayState": relay_state},
        )


@pytest.fixture
def browser_of_nora(saml_idp: LocalSamlIdp, db: None) -> SamlBrowser:
    return SamlBrowser(Client(), saml_connection(saml_idp), saml_idp)
