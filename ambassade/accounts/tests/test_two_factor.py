"""Two-factor authentication: TOTP with a code computed here, recovery codes, the
organisation's policy for console roles, and an admin's reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from ambassade.core.models import AuditEvent
from ambassade.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PERIOD = 30


def _code(secret: str, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at) // PERIOD))


def _sign_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def _enrol_totp(client: Client, now) -> str:
    # Adding a factor asks for the password again (allauth's reauthentication).
    first = client.get("/accounts/2fa/totp/activate/")
    assert first["Location"].startswith("/accounts/reauthenticate/")
    client.post(first["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page.get("Location")
    secret: str = client.session["mfa.totp.secret"]
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "12345"})
    assert "Incorrect code." in wrong.content.decode()
    done = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret, now.timestamp())})
    assert done.status_code == 302
    return secret


def test_totp_enrolment_then_sign_in_asks_for_a_code() -> None:
    user = UserFactory(email="lea@example.com")
    PersonFactory(email="lea@example.com", user=user)
    start = timezone.now()
    with freeze_time(start):
        client = Client()
        _sign_in(client, "lea@example.com")
        secret = _enrol_totp(client, start)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    later = start + timedelta(minutes=2)
    with freeze_time(later):
        phone = Client()
        step = _sign_in(phone, "lea@example.com")
        assert step["Location"] == "/accounts/2fa/authenticate/"
        assert phone.get("/me/").status_code == 302  # not signed in yet
        wrong = phone.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert "Incorrect code." in wrong.content.decode()
        right = phone.post(
            "/accounts/2fa/authenticate/", {"code": _code(secret, later.timestamp())}
        )
        assert right.status_code == 302
        assert phone.get("/me/").status_code == 200


def test_recovery_codes_sign_in_once_each() -> None:
    user = UserFactory(email="lea@example.com")
    PersonFactory(email="lea@example.com", user=user)
    start = timezone.now()
    with freeze_time(start):
        client = Client()
        _sign_in(client, "lea@example.com")
        _enrol_totp(client, start)
        page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    codes = re.findall(r"\b[0-9a-f]{8}\b", page)
    assert len(codes) >= 10, page
    first = codes[0]

    lost_phone = Client()
    _sign_in(lost_phone, "lea@example.com")
    assert lost_phone.post("/accounts/2fa/authenticate/", {"code": first}).status_code == 302
    assert lost_phone.get("/me/").status_code == 200

    again = Client()
    _sign_in(again, "lea@example.com")
    reused = again.post("/accounts/2fa/authenticate/", {"code": first})
    assert reused.status_code == 200
    assert "Incorrect code." in reused.content.decode()


def _require(client_for, persona, grace_days: int = 14):
    response = client_for(persona.admin).patch(
        "/api/v1/organisation/two-factor",
        {"required_for_console": True, "grace_days": grace_days},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_policy_through_the_api(persona, client_for) -> None:
    admin = client_for(persona.admin)
    assert admin.get("/api/v1/organisation/two-factor").json()["required_for_console"] is False
    body = _require(client_for, persona, grace_days=7)
    assert body["grace_days"] == 7
    assert body["deadline"] is not None
    bad = admin.patch(
        "/api/v1/organisation/two-factor", {"grace_days": 500}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"].endswith("grace_days")
    refused = client_for(persona.marketer).patch(
        "/api/v1/organisation/two-factor", {"grace_days": 1}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert AuditEvent.objects.filter(action="accounts.two_factor_policy_changed").count() == 1


def test_a_console_role_is_reminded_then_sent_to_enrol(persona, client_for) -> None:
    _require(client_for, persona, grace_days=3)
    marketer = client_for(persona.marketer)
    during = marketer.get("/console/")
    assert during.status_code == 200
    assert "requires two-factor authentication for your role" in during.content.decode()

    with freeze_time(timezone.now() + timedelta(days=4)):
        after = marketer.get("/console/")
        assert after.status_code == 302
        assert after["Location"] == "/accounts/2fa/"
        assert marketer.get("/accounts/2fa/").status_code == 200  # enrolment stays open
        # Roles outside the policy and plain ambassadors are not concerned.
        assert client_for(persona.sales).get("/console/").status_code == 200
        assert client_for(persona.ambassador).get("/me/").status_code == 200
        # Once enrolled, the console opens again.
        TOTP.activate(persona.marketer.user, "JBSWY3DPEHPK3PXP")
        assert marketer.get("/console/").status_code == 200


def test_an_admin_resets_a_second_factor_and_it_is_audited(persona, client_for) -> None:
    TOTP.activate(persona.marketer.user, "JBSWY3DPEHPK3PXP")
    url = f"/console/people/{persona.marketer.pk}/second-factor/reset"
    assert client_for(persona.hr).post(url).status_code == 403
    detail = client_for(persona.admin).get(f"/console/people/{persona.marketer.pk}/")
    assert "Reset the second factor" in detail.content.decode()
    response = client_for(persona.admin).post(url)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=persona.marketer.user).exists()
    event = AuditEvent.objects.get(action="accounts.second_factor_reset")
    assert event.organisation == persona.organisation
    assert event.actor == persona.admin.user
    assert event.target_id == str(persona.marketer.user.pk)
    assert event.before == {"types": ["totp"]}


def test_an_admin_cannot_reset_another_organisations_person(persona, client_for) -> None:
    TOTP.activate(persona.outsider.user, "JBSWY3DPEHPK3PXP")
    url = f"/console/people/{persona.outsider.pk}/second-factor/reset"
    assert client_for(persona.admin).post(url).status_code == 404
    assert Authenticator.objects.filter(user=persona.outsider.user).exists()
