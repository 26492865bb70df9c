"""The single sign-on console, through its pages: an admin adds, changes, tests, switches
and deletes connections of Acme; the secrets never come back; other people are kept out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.identity import actions
from ambassade.identity.assertions import Assertion
from ambassade.identity.models import Connection, LinkedIdentity
from ambassade.identity.tests.console_providers import METADATA, install
from ambassade.people.models import Person
from ambassade.sharing.crypto import decrypt
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cret-Value-that-must-never-show"
NEW_OIDC = "/console/identity/new/oidc/"
NEW_SAML = "/console/identity/new/saml/"


@pytest.fixture
def provider(monkeypatch):
    return install(monkeypatch)


def oidc_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "Entra ID",
        "oidc_issuer": "https://login.example.com/acme/v2.0/.well-known/openid-configuration",
        "oidc_client_id": "ambassade-web",
        "client_secret": SECRET,
        "domains": "Acme.COM, @acme.fr",
        "unknown_people": "create",
        "map_email": "email",
        "map_first_name": "given_name",
        "map_last_name": "family_name",
        "map_department": "department",
        "map_site": "site",
        "map_manager": "manager",
        "map_language": "locale",
    }
    return {**form, **changes}


def add_oidc(client, **changes: str) -> Connection:
    response = client.post(NEW_OIDC, oidc_form(**changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Connection.objects.latest("pk")


def test_an_admin_adds_an_oidc_connection_and_sees_what_to_copy(persona, client_for, provider):
    admin = client_for(persona.admin)
    connection = add_oidc(admin, map_department="extension_Department")

    assert provider.discovered == ["https://login.example.com/acme/v2.0"]
    assert connection.oidc_issuer == "https://login.example.com/acme/v2.0"
    assert connection.domains == ["acme.com", "acme.fr"]
    assert connection.unknown_people == "create"
    assert connection.attribute_map == {"department": "extension_Department"}
    assert decrypt(connection.oidc_client_secret) == {"client_secret": SECRET}
    page = admin.get(f"/console/identity/{connection.pk}/").content.decode()
    assert f"http://testserver/sso/oidc/{connection.pk}/callback" in page
    assert f"{settings.BASE_URL}/accounts/login/" in page  # after signing out
    assert "openid email profile" in page
    assert "extension_Department" in page
    listing = admin.get("/console/identity/").content.decode()
    assert "Entra ID" in listing and "acme.com" in listing and "Never tested" in listing


def test_the_secret_never_appears_in_a_page_or_an_audit_row(persona, client_for, provider):
    admin = client_for(persona.admin)
    connection = add_oidc(admin)
    edited = admin.post(
        f"/console/identity/{connection.pk}/edit/", oidc_form(client_secret="Another-s3cret")
    )
    assert edited.status_code == 302
    pages = [
        admin.get(path).content.decode()
        for path in (
            "/console/identity/",
            f"/console/identity/{connection.pk}/",
            f"/console/identity/{connection.pk}/edit/",
            "/console/audit/",
        )
    ]
    connection.refresh_from_db()
    rows = [str(event.before) + str(event.after) for event in AuditEvent.objects.all()]
    for text in pages + rows:
        for secret in (SECRET, "Another-s3cret", connection.oidc_client_secret):
            assert secret not in text
    changed = AuditEvent.objects.get(action="identity.connection_changed")
    assert changed.after["client_secret"] == "changed"


def test_an_empty_secret_on_edit_keeps_it_and_the_issuer_is_not_asked_again(
    persona, client_for, provider
):
    admin = client_for(persona.admin)
    connection = add_oidc(admin)
    form = oidc_form(
        client_secret="", name="Entra", oidc_issuer="https://login.example.com/acme/v2.0"
    )
    assert admin.post(f"/console/identity/{connection.pk}/edit/", form).status_code == 302
    connection.refresh_from_db()
    assert connection.name == "Entra"
    assert decrypt(connection.oidc_client_secret) == {"client_secret": SECRET}
    assert len(provider.discovered) == 1


def test_the_providers_own_error_is_shown_and_nothing_is_saved(persona, client_for, provider):
    provider.discovery_error = "login.example.com answered HTTP 404 for the discovery document"
    response = client_for(persona.admin).post(NEW_OIDC, oidc_form())
    assert response.status_code == 200
    assert "answered HTTP 404 for the discovery document" in response.content.decode()
    assert not Connection.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="identity.").exists()


def test_bad_domains_are_named(persona, client_for, provider):
    admin = client_for(persona.admin)
    response = admin.post(NEW_OIDC, oidc_form(domains="acme.com, not a domain"))
    assert "“not” is not a domain name" in response.content.decode()
    assert not Connection.objects.exists()


def test_an_admin_adds_a_saml_connection_from_its_metadata_file(persona, client_for, provider):
    admin = client_for(persona.admin)
    upload = SimpleUploadedFile("idp.xml", METADATA.encode(), content_type="text/xml")
    response = admin.post(
        NEW_SAML,
        {
            "name": "Okta",
            "metadata_file": upload,
            "domains": "acme.com",
            "unknown_people": "refuse",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    connection = Connection.objects.get(name="Okta")
    assert connection.saml_idp_entity_id == "https://idp.example.com/saml"
    private_key = decrypt(connection.saml_sp_private_key)["private_key"]
    assert private_key.startswith("-----BEGIN PRIVATE KEY-----")
    assert connection.saml_sp_certificate.startswith("-----BEGIN CERTIFICATE-----")
    page = admin.get(f"/console/identity/{connection.pk}/").content.decode()
    assert connection.saml_sp_certificate.strip() in page  # the certificate, to copy
    assert private_key.splitlines()[1] not in page  # never the private key
    assert (
        f"/sso/saml/{connection.pk}/metadata" in page and f"/sso/saml/{connection.pk}/acs" in page
    )


def test_metadata_that_is_not_metadata_is_refused_with_the_reason(persona, client_for, provider):
    upload = SimpleUploadedFile("idp.xml", b"<html>Sign in</html>", content_type="text/xml")
    response = client_for(persona.admin).post(
        NEW_SAML, {"name": "Okta", "metadata_file": upload, "unknown_people": "refuse"}
    )
    assert "no EntityDescriptor with an entityID" in response.content.decode()
    assert not Connection.objects.exists()


def test_the_test_button_goes_to_the_provider_as_a_test(persona, client_for, provider):
    admin = client_for(persona.admin)
    connection = add_oidc(admin)
    response = admin.post(f"/console/identity/{connection.pk}/test/")
    # A page of ours that goes on to the provider (form-action 'self' blocks a redirect).
    assert response.status_code == 200
    assert (
        f'id="provider-link" class="button button-primary" href="{provider.start_url(connection)}"'
        in response.content.decode()
    )
    assert provider.started == [("Entra ID", "test", "")]


def test_the_last_test_reads_in_plain_french(persona, client_for, provider):
    admin = client_for(persona.admin)
    connection = add_oidc(admin)
    PersonFactory(
        organisation=persona.organisation,
        email="zoe@acme.com",
        first_name="Zoé",
        last_name="Martin",
    )
    claims = {"email": "zoe@acme.com", "groups": ["sales", "paris"]}
    actions.record_test(actor_for_person(persona.admin), connection, Assertion("00u1", claims))
    page = admin.get(
        f"/console/identity/{connection.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "sales, paris" in page and "00u1" in page  # what came back
    assert "Prénom" in page and "Nom" in page  # what is missing, by name
    assert "Zoé Martin" in page  # who signing in would be

    stranger = {"email": "new@acme.com", "given_name": "Noé", "family_name": "Petit"}
    actions.record_test(actor_for_person(persona.admin), connection, Assertion("00u2", stranger))
    assert "create this person" in admin.get(f"/console/identity/{connection.pk}/").content.decode()


def test_switching_off_and_deleting_keeps_the_people(persona, client_for, provider):
    admin = client_for(persona.admin)
    connection = add_oidc(admin)
    LinkedIdentity.objects.create(connection=connection, person=persona.ambassador, subject="00u9")
    admin.post(f"/console/identity/{connection.pk}/switch/", {"enabled": "0"})
    connection.refresh_from_db()
    assert not connection.enabled
    confirm = admin.get(f"/console/identity/{connection.pk}/delete/").content.decode()
    assert "1 person" in confirm
    assert (
        admin.post(f"/console/identity/{connection.pk}/delete/")["Location"] == "/console/identity/"
    )
    assert not Connection.objects.exists() and not LinkedIdentity.objects.exists()
    assert Person.objects.filter(pk=persona.ambassador.pk).exists()
    actions_done = list(
        AuditEvent.objects.filter(action__startswith="identity.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "identity.connection_created",
        "identity.connection_disabled",
        "identity.connection_deleted",
    ]


def test_a_domain_bound_elsewhere_is_refused_clearly(persona, client_for, provider):
    add_oidc(client_for(persona.outsider), domains="acme.com")  # Elsewhere Ltd's
    admin = client_for(persona.admin)
    response = admin.post(NEW_OIDC, oidc_form())
    assert "“acme.com” is already bound to another organisation" in response.content.decode()
    ours = add_oidc(admin, domains="acme.fr")
    again = admin.post(NEW_OIDC, oidc_form(name="Second", domains="ACME.fr"))
    assert "“acme.fr” is already bound to the connection “Entra ID”" in again.content.decode()
    # A switched-off connection binds nothing; switching it on checks again.
    other = Connection.objects.get(organisation=persona.outsider.organisation)
    client_for(persona.outsider).post(f"/console/identity/{other.pk}/switch/", {"enabled": "0"})
    admin.post(f"/console/identity/{ours.pk}/edit/", oidc_form(domains="acme.fr acme.com"))
    ours.refresh_from_db()
    assert ours.domains == ["acme.fr", "acme.com"]
    refused = client_for(persona.outsider).post(
        f"/console/identity/{other.pk}/switch/", {"enabled": "1"}, follow=True
    )
    assert "already bound to another organisation" in refused.content.decode()
    other.refresh_from_db()
    assert not other.enabled


ROUTES = [
    ("get", "/console/identity/"),
    ("get", "/console/identity/policy/"),
    ("get", "/console/identity/new/oidc/"),
    ("get", "/console/identity/{pk}/"),
    ("get", "/console/identity/{pk}/edit/"),
    ("post", "/console/identity/{pk}/test/"),
    ("get", "/console/identity/{pk}/delete/"),
    ("post", "/console/identity/{pk}/switch/"),
    ("post", "/console/identity/{pk}/delete/"),
]


def test_only_acmes_admins_reach_its_connections(persona, client_for, provider):
    connection = add_oidc(client_for(persona.admin))
    for method, path in ROUTES:
        url = path.format(pk=connection.pk)
        for name in ("marketer", "hr", "ambassador"):
            response = getattr(client_for(getattr(persona, name)), method)(url)
            assert response.status_code == 403, f"{name} {url}"
        if "{pk}" in path:
            response = getattr(client_for(persona.outsider), method)(url)
            assert response.status_code == 404, f"outsider {url}"
    assert Connection.objects.get(pk=connection.pk).enabled
    assert provider.started == []


def test_a_test_that_cannot_reach_the_provider_is_reported_on_the_page(
    persona, client_for, provider, monkeypatch
):
    from ambassade.identity import oidc
    from ambassade.identity.refusals import Refused

    admin = client_for(persona.admin)
    connection = add_oidc(admin)

    def unreachable(request, connection, *, mode, next_url=""):
        raise Refused("protocol", "login.example.com did not answer in 10 seconds")

    monkeypatch.setattr(oidc, "start", unreachable)
    response = admin.post(f"/console/identity/{connection.pk}/test/")
    assert response["Location"] == f"/console/identity/{connection.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "It did not work" in page and "did not answer in 10 seconds" in page
