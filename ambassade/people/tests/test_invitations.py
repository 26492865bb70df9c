"""Inviting a person without an account to sign in: one-time link, password, signed in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.people.models import AccountInvitation
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def link_in_outbox() -> str:
    [message] = mail.outbox
    match = re.search(r"https://ambassade\.example(/welcome/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_an_invited_person_chooses_a_password_and_is_signed_in(
    persona, client_for, committed
) -> None:
    newcomer = PersonFactory(
        organisation=persona.organisation, email="newcomer@example.com", first_name="Zoé"
    )
    with committed():
        response = client_for(persona.hr).post(f"/console/people/{newcomer.pk}/invite")
    assert response.status_code == 302
    path = link_in_outbox()
    assert mail.outbox[0].to == ["newcomer@example.com"]
    token = path.split("/")[2]
    invitation = AccountInvitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > timedelta(days=13)

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    weak = visitor.post(path, {"new_password1": "123", "new_password2": "123"})
    assert "This password is too short." in weak.content.decode()
    done = visitor.post(
        path, {"new_password1": "lantern-meadow-71", "new_password2": "lantern-meadow-71"}
    )
    assert done["Location"] == "/"
    newcomer.refresh_from_db()
    assert newcomer.user.email == "newcomer@example.com"
    assert newcomer.user.check_password("lantern-meadow-71")
    assert visitor.get("/me/").status_code == 200  # signed in, in this organisation
    # The link works once.
    assert Client().get(path).status_code == 410


def test_an_expired_link_says_so(persona, client_for, committed) -> None:
    newcomer = PersonFactory(organisation=persona.organisation)
    with committed():
        client_for(persona.admin).post(f"/api/v1/people/{newcomer.pk}/account-invitation")
    AccountInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    path = link_in_outbox()
    response = Client().post(
        path, {"new_password1": "lantern-meadow-71", "new_password2": "lantern-meadow-71"}
    )
    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()
    assert not User.objects.filter(email=newcomer.email).exists()


def test_unknown_and_superseded_links_are_not_found(persona, client_for, committed) -> None:
    newcomer = PersonFactory(organisation=persona.organisation)
    with committed():
        client_for(persona.hr).post(f"/console/people/{newcomer.pk}/invite")
    first = link_in_outbox()
    mail.outbox.clear()
    with committed():
        client_for(persona.hr).post(f"/console/people/{newcomer.pk}/invite")
    assert Client().get(first).status_code == 404
    assert Client().get("/welcome/not-a-token/").status_code == 404


def test_a_person_with_an_account_is_not_invited(persona, client_for) -> None:
    response = client_for(persona.hr).post(
        f"/api/v1/people/{persona.employee.pk}/account-invitation"
    )
    assert response.status_code == 422
    assert "can already sign in" in response.json()["error"]["message"]


def test_an_existing_account_is_linked_without_changing_its_password(
    persona, client_for, committed
) -> None:
    # The outsider's account joins Acme too (a group and its subsidiary).
    twin = PersonFactory(organisation=persona.organisation, email="outsider@example.com")
    with committed():
        client_for(persona.hr).post(f"/console/people/{twin.pk}/invite")
    path = link_in_outbox()
    response = Client().post(path, {})
    assert response["Location"] == "/accounts/login/"
    twin.refresh_from_db()
    assert twin.user == persona.outsider.user
    assert twin.user.check_password("correct horse battery staple")


def test_only_people_writers_invite(persona, client_for) -> None:
    newcomer = PersonFactory(organisation=persona.organisation)
    for name in ("marketer", "coach", "employee"):
        response = client_for(getattr(persona, name)).post(
            f"/api/v1/people/{newcomer.pk}/account-invitation"
        )
        assert response.status_code == 403
    assert AccountInvitation.objects.count() == 0


@pytest.mark.postgres
def test_the_first_password_of_a_person_without_an_account_on_postgresql() -> None:
    # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to the account.
    from ambassade.people.actions import activate_account

    newcomer = PersonFactory(email="zoe@example.com")
    assert newcomer.user_id is None
    user = activate_account(newcomer, "correct horse battery staple")
    newcomer.refresh_from_db()
    assert newcomer.user_id == user.pk
    assert user.check_password("correct horse battery staple")
