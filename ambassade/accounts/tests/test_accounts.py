"""Accounts on django-allauth: sign-in by e-mail, password reset through the outbox,
e-mail and password changes, sessions."""

from __future__ import annotations

import re

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from ambassade.accounts.models import User
from ambassade.core import mail
from ambassade.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def embedded_outbox(settings, tmp_path):
    """pytest-django swaps in its memory backend; these tests read the real outbox."""
    settings.EMAIL_BACKEND = "ambassade.core.mail.OutboxBackend"
    settings.MAIL_OUTBOX_DIR = tmp_path / "mail"


def _member(email: str = "lea@example.com"):
    user = UserFactory(email=email)
    person = PersonFactory(email=email, user=user)
    return user, person


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_in_by_email_whatever_its_case(client: Client) -> None:
    _member()
    response = _sign_in(client, "Lea@Example.com")
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/me/home/"


def test_every_sign_in_page_offers_a_password_reset(client: Client) -> None:
    for path in ("/accounts/login/", "/accounts/login/?next=/operator/"):
        assert 'href="/accounts/password/reset/"' in client.get(path).content.decode()


def test_there_is_no_public_sign_up(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "stranger@example.com",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="stranger@example.com").exists()


def _reset_link(organisation_slug: str) -> str:
    [message] = mail.outbox_messages(organisation_slug)
    found = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_password_reset_through_the_outbox(client: Client) -> None:
    user, person = _member()
    response = client.post("/accounts/password/reset/", {"email": "lea@example.com"})
    assert response.status_code == 302
    link = _reset_link(person.organisation.slug)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url, {"password1": "a brand new pass phrase", "password2": "a brand new pass phrase"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new pass phrase")

    # The same link a second time: a specific message, not a form.
    again = Client().get(link, follow=True)
    assert "The password reset link was invalid" in again.content.decode()
    assert 'name="password1"' not in again.content.decode()


def test_a_reset_refuses_a_common_or_short_password(client: Client) -> None:
    user, person = _member()
    client.post("/accounts/password/reset/", {"email": "lea@example.com"})
    link = _reset_link(person.organisation.slug)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"password1": "password123", "password2": "password123"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_for_an_unknown_address_looks_the_same(client: Client) -> None:
    _member()
    known = client.post("/accounts/password/reset/", {"email": "lea@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_malformed_address_gets_a_specific_message(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_changing_ones_password_checks_the_validators(client: Client) -> None:
    user, _person = _member()
    client.force_login(user)
    weak = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "12345678", "password2": "12345678"},
    )
    assert "This password is entirely numeric." in weak.content.decode()
    good = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another good phrase",
            "password2": "another good phrase",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another good phrase")


def test_a_new_email_address_replaces_the_old_once_confirmed(client: Client) -> None:
    user, person = _member()
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "lea.new@example.com"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "lea@example.com"  # not before confirmation
    [message] = [
        m for m in mail.outbox_messages(person.organisation.slug) if "lea.new" in m.recipients
    ]
    found = re.search(r"/accounts/confirm-email/[^\s]+", message.body)
    assert found, message.body
    key_url = found.group(0)
    assert client.get(key_url).status_code == 200
    client.post(key_url)
    user.refresh_from_db()
    assert user.email == "lea.new@example.com"
    assert _sign_in(Client(), "lea.new@example.com").status_code == 302


def test_sessions_are_listed_and_the_others_signed_out() -> None:
    _member()
    phone, laptop = Client(), Client()
    assert _sign_in(phone, "lea@example.com").status_code == 302
    assert _sign_in(laptop, "lea@example.com").status_code == 302
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    assert UserSession.objects.count() == 2
    laptop.post("/accounts/sessions/", {"action": "logout"})
    assert laptop.get("/me/").status_code == 200
    assert phone.get("/me/").status_code == 302
    assert UserSession.objects.count() == 1


def test_no_session_row_holds_an_ip_address() -> None:
    _member()
    client = Client(REMOTE_ADDR="203.0.113.9")
    _sign_in(client, "lea@example.com")
    [session] = UserSession.objects.all()
    assert "203.0.113" not in session.ip
    assert session.ip.endswith("::")  # a daily pseudonym written as an address


def test_sessions_api_lists_and_ends_ones_own_sessions() -> None:
    _member()
    phone, laptop = Client(), Client()
    _sign_in(phone, "lea@example.com")
    _sign_in(laptop, "lea@example.com")
    listed = laptop.get("/api/v1/me/sessions").json()
    assert len(listed) == 2
    [other] = [row for row in listed if not row["current"]]
    response = laptop.delete(f"/api/v1/me/sessions/{other['id']}")
    assert response.status_code == 204
    assert phone.get("/me/").status_code == 302
    missing = laptop.delete(f"/api/v1/me/sessions/{other['id']}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_nobody_ends_someone_elses_session() -> None:
    _member()
    _member("sam@example.com")
    lea, sam = Client(), Client()
    _sign_in(lea, "lea@example.com")
    _sign_in(sam, "sam@example.com")
    [sams] = [s for s in UserSession.objects.all() if s.user.email == "sam@example.com"]
    assert lea.delete(f"/api/v1/me/sessions/{sams.pk}").status_code == 404
    assert sam.get("/me/").status_code == 200
