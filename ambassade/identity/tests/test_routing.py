"""The sign-in page with single sign-on: an address of a bound domain goes to Acme's
provider; where Acme requires single sign-on a password is refused, except for its
break-glass admin, whose sign-in (with the second factor) is audited; signing out ends the
provider's session too."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from ambassade.core import mail
from ambassade.core.models import AuditEvent
from ambassade.identity.completion import SESSION_CONNECTION_KEY
from ambassade.identity.models import Connection, SignInPolicy
from ambassade.identity.tests.console_providers import install

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"


@pytest.fixture
def provider(monkeypatch):
    return install(monkeypatch)


@pytest.fixture
def entra(persona) -> Connection:
    """Acme's provider, bound to the personas' domain."""
    return Connection.objects.create(
        organisation=persona.organisation,
        name="Entra ID",
        protocol="oidc",
        domains=["example.com"],
        oidc_issuer="https://login.example.com/acme/v2.0",
        oidc_client_id="ambassade-web",
    )


def require(persona, scope: str) -> None:
    policy = SignInPolicy.objects.create(organisation=persona.organisation, sso_required=scope)
    policy.break_glass.set([persona.admin])


def with_password(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password, "password_instead": "1"})


def signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


def test_typing_an_address_of_a_bound_domain_goes_to_the_provider(entra, provider):
    client = Client()
    assert "Sign in with your organisation" in client.get(LOGIN).content.decode()
    response = client.post(
        LOGIN + "?next=/console/",
        {"login": "Someone@Example.com", "organisation_account": "1", "next": "/console/"},
    )
    # A page of ours that goes on to the provider (form-action 'self' blocks a redirect).
    assert f'href="{provider.start_url(entra)}"' in response.content.decode()
    assert response.status_code == 200
    assert provider.started == [("Entra ID", "sign_in", "/console/")]
    # The password form too, unless "use my password" is ticked.
    client.post(LOGIN, {"login": "ambassador@example.com", "password": PASSWORD})
    assert len(provider.started) == 2


def test_an_address_of_another_domain_signs_in_as_before(persona, entra, provider):
    client = Client()
    routed = client.post(
        LOGIN, {"login": "lea@elsewhere.org", "organisation_account": "1"}, follow=True
    )
    assert "No single sign-on is set up for this address" in routed.content.decode()
    entra.enabled = False
    entra.save()
    assert "Sign in with your organisation" not in Client().get(LOGIN).content.decode()
    assert (
        client.post(LOGIN, {"login": "ambassador@example.com", "password": PASSWORD}).status_code
        == 302
    )
    assert signed_in(client) and provider.started == []


def test_without_a_requirement_a_person_may_use_their_password(persona, entra, provider):
    client = Client()
    assert with_password(client, "hr@example.com")["Location"] == "/"
    assert signed_in(client) and provider.started == []


def test_required_for_console_roles_hr_is_refused_and_an_ambassador_is_not(
    persona, entra, provider
):
    require(persona, "console")
    hr = Client()
    refused = with_password(hr, "hr@example.com")
    assert refused["Location"] == LOGIN
    page = hr.get(LOGIN).content.decode()
    assert "Acme requires you to sign in through its identity provider (Entra ID)" in page
    assert not signed_in(hr)
    # A wrong password says nothing about the requirement.
    wrong = with_password(Client(), "hr@example.com", "not it").content.decode()
    assert "not correct" in wrong and "identity provider" not in wrong
    ambassador = Client()
    with_password(ambassador, "ambassador@example.com")
    assert signed_in(ambassador)
    assert not AuditEvent.objects.filter(action="identity.break_glass_sign_in").exists()


def test_required_for_everyone_refuses_the_ambassadors_password_too(persona, entra, provider):
    require(persona, "everyone")
    client = Client()
    with_password(client, "ambassador@example.com")
    assert not signed_in(client)


def test_a_break_glass_admins_sign_in_goes_through_the_second_factor_and_is_audited(
    persona, entra, provider
):
    require(persona, "everyone")
    secret = generate_totp_secret()
    TOTP.activate(persona.admin.user, secret)
    now = timezone.now()
    with freeze_time(now):
        client = Client()
        assert (
            with_password(client, "admin@example.com")["Location"] == "/accounts/2fa/authenticate/"
        )
        assert not AuditEvent.objects.filter(action="identity.break_glass_sign_in").exists()
        code = format_hotp_value(hotp_value(secret, int(now.timestamp()) // 30))
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert signed_in(client)
    row = AuditEvent.objects.get(action="identity.break_glass_sign_in")
    assert row.organisation == persona.organisation
    assert row.after == {"methods": ["password", "mfa:totp"]}


def test_a_password_reset_cannot_go_around_the_requirement(
    persona, entra, provider, settings, tmp_path
):
    settings.EMAIL_BACKEND = "ambassade.core.mail.OutboxBackend"
    settings.MAIL_OUTBOX_DIR = tmp_path / "mail"
    require(persona, "console")
    Client().post("/accounts/password/reset/", {"email": "hr@example.com"})
    Client().post("/accounts/password/reset/", {"email": "ambassador@example.com"})
    messages = {m.recipients: m.body for m in mail.outbox_messages("acme")}
    assert "Entra ID" in messages["hr@example.com"]
    assert "/accounts/password/reset/key/" not in messages["hr@example.com"]
    assert "/accounts/password/reset/key/" in messages["ambassador@example.com"]


def test_signing_out_ends_the_providers_session_too(persona, entra, provider, client_for):
    provider.logout = "https://idp.example.com/logout?client=ambassade-web"
    client = client_for(persona.ambassador)
    session = client.session
    session[SESSION_CONNECTION_KEY] = entra.pk
    session.save()
    assert client.post("/accounts/logout/")["Location"] == provider.logout
    assert not signed_in(client)
    # A password session signs out as before.
    other = client_for(persona.hr)
    assert other.post("/accounts/logout/")["Location"] == LOGIN
