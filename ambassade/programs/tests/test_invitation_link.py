"""The invitation mail as the way in: one mail; its link leads someone without an account
to a password, then the charter and the answer; an account holder to sign in; an expired
or used link to a plain message and a request for a new one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.core.models import AuditEvent
from ambassade.people.models import AccountInvitation
from ambassade.programs.models import Enrolment, Invitation
from ambassade.programs.tests.conftest import kind
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db
PASSWORD = "lantern-meadow-71"


def hr_invites(client_for, persona, program, immediate_tasks, email: str) -> str:
    """HR invites through the console page; returns the path of the mail's link."""
    supporter = kind(persona.organisation, "supporter")
    with immediate_tasks():
        response = client_for(persona.hr).post(
            f"/console/programs/{program.pk}/invitations/",
            {
                "emails": email,
                "ambassador_type": supporter.pk,
                "reminder_after_days": 7,
                "max_reminders": 2,
            },
        )
    assert response.status_code == 302, response.content.decode()
    return link_of(mail.outbox[-1].body)


def link_of(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def newcomer(persona):
    return PersonFactory(
        organisation=persona.organisation, email="zoe@example.com", first_name="Zoé"
    )


def test_one_mail_then_password_charter_and_acceptance(
    persona, program, client_for, immediate_tasks, newcomer
) -> None:
    path = hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    assert len(mail.outbox) == 1  # no second mail to come and sign in
    assert mail.outbox[0].to == ["zoe@example.com"]
    assert not AccountInvitation.objects.exists()
    invitation = Invitation.objects.get(person=newcomer)
    assert path.split("/")[2] not in invitation.token_hash

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    chosen = visitor.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert chosen["Location"] == f"/me/invitations/{invitation.pk}/"
    newcomer.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)

    charter = visitor.get(chosen["Location"])
    assert "Your accounts remain yours." in charter.content.decode()
    accepted = visitor.post(chosen["Location"], {"accept": "", "accept_charter": "on"})
    assert accepted["Location"] == "/me/programs/"
    enrolment = Enrolment.objects.get(person=newcomer)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert visitor.get("/me/programs/").status_code == 200  # signed in
    assert AuditEvent.objects.filter(action="invitation.password_chosen").count() == 1
    assert len(mail.outbox) == 1


def test_a_bad_password_gets_the_validators_message_and_makes_nothing(
    persona, program, client_for, immediate_tasks, newcomer
) -> None:
    path = hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    visitor = Client()
    weak = visitor.post(path, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    assert "This password is too short." in weak.content.decode()
    assert not User.objects.filter(email__iexact=newcomer.email).exists()
    newcomer.refresh_from_db()
    assert newcomer.user_id is None
    assert Invitation.objects.get(person=newcomer).link_used_at is None
    assert visitor.get("/me/programs/").status_code == 302  # not signed in


def test_an_account_holder_signs_in_and_lands_on_the_invitation(
    persona, program, client_for, immediate_tasks
) -> None:
    path = hr_invites(client_for, persona, program, immediate_tasks, persona.employee.email)
    invitation = Invitation.objects.get(person=persona.employee)
    visitor = Client()
    response = visitor.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    signed_in = visitor.post(
        response["Location"],
        {"login": persona.employee.email, "password": "correct horse battery staple"},
    )
    assert signed_in.status_code == 302
    landed = visitor.get(signed_in["Location"])
    assert landed["Location"] == f"/me/invitations/{invitation.pk}/"
    assert visitor.get(landed["Location"]).status_code == 200


def test_a_used_link_says_so_and_offers_a_new_one(
    persona, program, client_for, immediate_tasks, newcomer
) -> None:
    path = hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    Client().post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    stranger = Client()
    response = stranger.get(path)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link was already used to choose a password." in body
    assert "Ask for a new invitation" in body
    # The link does not set a password twice.
    again = stranger.post(path, {"new_password1": "other-pass-8812", "new_password2": "x"})
    assert again.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)

    with immediate_tasks():
        asked = stranger.post(f"{path}renew")
    assert asked.status_code == 410
    [request] = mail.outbox[1:]
    assert request.to == [persona.hr.email]
    assert "zoe@example.com" in request.body


def test_an_expired_link_says_so_and_the_request_is_limited_and_audited(
    persona, program, client_for, immediate_tasks, newcomer
) -> None:
    path = hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    visitor = Client()
    response = visitor.get(path)
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    refused = visitor.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert refused.status_code == 410
    assert not User.objects.filter(email__iexact=newcomer.email).exists()

    with immediate_tasks():
        first = visitor.post(f"{path}renew")
        second = visitor.post(f"{path}renew")
    assert "Your request is sent" in first.content.decode()
    assert "You already asked for a new link recently" in second.content.decode()
    assert len(mail.outbox) == 2  # the invitation, then one request to HR
    assert AuditEvent.objects.filter(action="invitation.renewal_requested").count() == 1
    invitation = Invitation.objects.get(person=newcomer)
    assert invitation.status == Invitation.Status.EXPIRED
    # HR can invite again at once, and the new link works.
    new_path = hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    assert Client().get(new_path).status_code == 200


def test_an_unknown_link_gets_a_plain_page(persona, program) -> None:
    response = Client().get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    assert Client().post("/invitations/not-a-real-token/renew").status_code == 404


def test_hr_has_no_second_mail_to_send(
    persona, program, client_for, immediate_tasks, newcomer
) -> None:
    hr_invites(client_for, persona, program, immediate_tasks, newcomer.email)
    hr = client_for(persona.hr)
    page = hr.get(f"/console/people/{newcomer.pk}/").content.decode()
    assert f"/console/people/{newcomer.pk}/invite" not in page
    assert "Marque employeur" in page
    with immediate_tasks():
        refused = hr.post(f"/api/v1/people/{newcomer.pk}/account-invitation")
    assert refused.status_code == 422
    assert "Marque employeur" in refused.json()["error"]["message"]
    assert len(mail.outbox) == 1
    assert not AccountInvitation.objects.exists()


def test_the_landing_page_shows_the_pending_invitation_and_the_next_step(
    persona, program, client_for, immediate_tasks
) -> None:
    hr_invites(client_for, persona, program, immediate_tasks, persona.employee.email)
    invitation = Invitation.objects.get(person=persona.employee)
    client = client_for(persona.employee)
    assert client.get("/")["Location"] == "/me/home/"
    page = client.get("/me/home/").content.decode()
    waiting = page[page.index('id="invitations-title"') :]
    assert "Marque employeur" in waiting
    step = page[page.index('id="next-step-title"') : page.index("</section>")]
    assert "Read the charter of “Marque employeur” and answer" in step
    assert f'href="/me/invitations/{invitation.pk}/"' in step
    assert "Would you like to be an ambassador?" not in page
