"""The sign-in policy page: Acme's admin requires single sign-on, and the page refuses
every setting that would lock the organisation out."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from ambassade.core.models import AuditEvent
from ambassade.identity.models import Connection, SignInPolicy
from ambassade.identity.tests.console_providers import install

pytestmark = pytest.mark.django_db

POLICY = "/console/identity/policy/"


def bind(organisation, *, enabled: bool = True) -> Connection:
    return Connection.objects.create(
        organisation=organisation,
        name="Entra ID",
        protocol="oidc",
        domains=["acme.com"],
        enabled=enabled,
        oidc_issuer="https://login.example.com/acme/v2.0",
        oidc_client_id="ambassade-web",
    )


def test_single_sign_on_cannot_be_required_without_an_enabled_connection(persona, client_for):
    bind(persona.organisation, enabled=False)
    admin = client_for(persona.admin)
    response = admin.post(POLICY, {"sso_required": "everyone", "break_glass": [persona.admin.pk]})
    assert "no enabled connection" in response.content.decode()
    assert not SignInPolicy.objects.filter(sso_required="everyone").exists()


def test_requiring_it_needs_a_break_glass_admin(persona, client_for):
    bind(persona.organisation)
    admin = client_for(persona.admin)
    for scope in ("console", "everyone"):
        response = admin.post(POLICY, {"sso_required": scope})
        assert "Choose at least one break-glass admin" in response.content.decode()
    assert not AuditEvent.objects.filter(action="identity.policy_changed").exists()


def test_only_admins_can_be_break_glass(persona, client_for):
    bind(persona.organisation)
    response = client_for(persona.admin).post(
        POLICY, {"sso_required": "console", "break_glass": [persona.hr.pk]}
    )
    assert (
        "Only the organisation&#x27;s admins can be break-glass admins" in response.content.decode()
    )
    assert not SignInPolicy.objects.filter(sso_required="console").exists()


def test_an_admin_requires_it_for_console_roles_and_is_told_about_second_factors(
    persona, client_for
):
    bind(persona.organisation)
    admin = client_for(persona.admin)
    saved = admin.post(POLICY, {"sso_required": "console", "break_glass": [persona.admin.pk]})
    assert saved["Location"] == POLICY
    policy = SignInPolicy.objects.get(organisation=persona.organisation)
    assert policy.sso_required == "console"
    assert list(policy.break_glass.all()) == [persona.admin]
    page = admin.get(POLICY).content.decode()
    assert "have no second factor yet" in page and persona.admin.full_name in page
    Authenticator.objects.create(user=persona.admin.user, type=Authenticator.Type.TOTP, data={})
    assert "have no second factor yet" not in admin.get(POLICY).content.decode()
    row = AuditEvent.objects.get(action="identity.policy_changed")
    assert row.before["sso_required"] == "none" and row.after["sso_required"] == "console"


def test_the_last_connection_stays_while_single_sign_on_is_required(
    persona, client_for, monkeypatch
):
    install(monkeypatch)  # the connection's page shows the provider's redirect URI
    connection = bind(persona.organisation)
    admin = client_for(persona.admin)
    admin.post(POLICY, {"sso_required": "everyone", "break_glass": [persona.admin.pk]})
    for path, body in (("switch/", {"enabled": "0"}), ("delete/", {})):
        page = admin.post(f"/console/identity/{connection.pk}/{path}", body, follow=True)
        assert "set the policy to “nobody” first" in page.content.decode()
    connection.refresh_from_db()
    assert connection.enabled
    admin.post(POLICY, {"sso_required": "none"})
    admin.post(f"/console/identity/{connection.pk}/switch/", {"enabled": "0"})
    connection.refresh_from_db()
    assert not connection.enabled


def test_the_policy_page_is_for_acmes_admins(persona, client_for):
    for name in ("marketer", "hr", "ambassador"):
        assert (
            client_for(getattr(persona, name)).post(POLICY, {"sso_required": "none"}).status_code
            == 403
        )
    assert not SignInPolicy.objects.exists()
