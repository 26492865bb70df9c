"""Invitations, acceptance, leaving and visibility, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people.models import RoleAssignment
from ambassade.programs import actions, selectors
from ambassade.programs.models import (
    CharterAcceptance,
    Enrolment,
    Invitation,
    InvitationCampaign,
)
from ambassade.programs.signals import enrolment_left
from ambassade.programs.tests.conftest import as_actor, kind
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _invite_page(client, program, emails: str, **extra):
    data = {
        "emails": emails,
        "ambassador_type": kind(program.organisation, "supporter").pk,
        "campaign_name": "",
        "reminder_after_days": 7,
        "max_reminders": 2,
    } | extra
    return client.post(f"/console/programs/{program.pk}/invitations/", data)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", message.body).group(1)


def test_hr_invites_and_the_person_receives_a_secret_link(
    persona, client_for, program, immediate_tasks, mailoutbox
) -> None:
    with immediate_tasks():
        response = _invite_page(client_for(persona.hr), program, persona.employee.email)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == "sent"
    assert invitation.source == "hr"
    [message] = mailoutbox
    assert message.to == [persona.employee.email]
    # The expiry reads as a date in the person's language, not as 2026-12-30.
    assert not re.search(r"\d{4}-\d\d-\d\d", message.body)
    with translation.override("fr"):
        expires = date_format(timezone.localtime(invitation.expires_at).date(), "DATE_FORMAT")
    assert re.search(r"\d{1,2} [a-zéû]+ \d{4}", expires) and expires in message.body
    link = _link(message)
    token = link.split("/")[2]
    assert token not in invitation.token_hash  # only the hash is stored
    assert len(invitation.token_hash) == 64

    # Only the invited person, signed in, gets through the link; another account is told
    # whom the invitation is for, and an anonymous visitor is asked to sign in.
    assert client_for(persona.ambassador).get(link).status_code == 403
    assert client_for(persona.outsider).get(link).status_code == 403
    assert Client().get(link)["Location"].startswith("/accounts/login/?next=")
    employee = client_for(persona.employee)
    response = employee.get(link)
    assert response["Location"] == f"/me/invitations/{invitation.pk}/"
    page = employee.get(response["Location"]).content.decode()
    assert "Chacun reste propriétaire" in page or "Your accounts remain yours" in page
    invitation.refresh_from_db()
    assert invitation.status == "opened"
    assert invitation.opened_at is not None


def test_an_unknown_invitation_link_says_so(client, persona, program) -> None:
    response = client.get("/invitations/whatever/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_the_charter_is_shown_in_the_persons_language(persona, client_for, invite) -> None:
    invitation = invite(persona.employee)
    persona.employee.user.language = "fr"
    persona.employee.user.save()
    page = client_for(persona.employee).get(f"/me/invitations/{invitation.pk}/").content.decode()
    assert "Chacun reste propriétaire de ses comptes." in page
    assert "Your accounts remain yours." not in page


def test_accepting_requires_ticking_the_charter(persona, client_for, invite) -> None:
    invitation = invite(persona.employee)
    response = client_for(persona.employee).post(
        f"/me/invitations/{invitation.pk}/", {"accept": "1"}
    )
    assert response.status_code == 200
    assert "Tick “I have read and accept the charter”" in response.content.decode()
    assert not Enrolment.objects.exists()
    assert not RoleAssignment.objects.filter(person=persona.employee, role=Role.AMBASSADOR).exists()


def test_accepting_enrols_grants_the_role_and_records_the_consent(
    persona, client_for, program, invite
) -> None:
    invitation = invite(persona.employee, "mission")
    client = client_for(persona.employee)
    response = client.post(
        f"/me/invitations/{invitation.pk}/",
        {"accept": "1", "accept_charter": "on"},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=persona.employee)
    assert enrolment.status == "active"
    assert enrolment.ambassador_type.kind == "mission"
    assert enrolment.individual_visibility is False
    assert RoleAssignment.objects.filter(person=persona.employee, role=Role.AMBASSADOR).exists()
    acceptance = CharterAcceptance.objects.get()
    version = selectors.published_charter(program)
    assert acceptance.version == version
    assert acceptance.content_hash == version.content_hash
    assert acceptance.channel == "web"
    assert acceptance.user_agent_family == "Firefox"
    stored = str(CharterAcceptance.objects.values().get()) + str(
        list(AuditEvent.objects.values("before", "after"))
    )
    assert "203.0.113" not in stored
    assert FIREFOX not in stored
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    page = client.get("/me/programs/").content.decode()
    assert "Marque employeur" in page
    assert "Leave the program" in page


def test_a_used_invitation_cannot_be_used_again(persona, client_for, invite) -> None:
    invitation = invite(persona.employee)
    client = client_for(persona.employee)
    url = f"/me/invitations/{invitation.pk}/"
    client.post(url, {"accept": "1", "accept_charter": "on"})
    with pytest.raises(ValidationError, match="already been answered"):
        actions.accept_invitation(as_actor(persona.employee), invitation, charter_accepted=True)
    assert "You accepted this invitation." in client.get(url).content.decode()
    assert CharterAcceptance.objects.count() == 1


def test_someone_elses_invitation_is_not_found(persona, client_for, invite) -> None:
    invitation = invite(persona.employee)
    url = f"/me/invitations/{invitation.pk}/"
    for other in (persona.ambassador, persona.hr, persona.admin, persona.outsider):
        client = client_for(other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"accept": "1", "accept_charter": "on"}).status_code == 404
    assert not Enrolment.objects.exists()


def test_declining_has_no_consequence(persona, client_for, invite) -> None:
    invitation = invite(persona.employee)
    client = client_for(persona.employee)
    response = client.post(f"/me/invitations/{invitation.pk}/", {"decline": "1"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not Enrolment.objects.exists()
    assert client.get("/me/programs/").status_code == 200


def test_an_expired_invitation_cannot_be_accepted(persona, invite) -> None:
    invitation = invite(persona.employee)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        actions.accept_invitation(as_actor(persona.employee), invitation, charter_accepted=True)


def test_people_already_enrolled_or_invited_are_skipped(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    client = client_for(persona.hr)
    _invite_page(client, program, f"{persona.ambassador.email}\n{persona.employee.email}")
    _invite_page(client, program, persona.employee.email)
    assert Invitation.objects.filter(person=persona.employee).count() == 1
    assert Invitation.objects.filter(person=persona.ambassador).count() == 1  # the first one


def test_de_facto_representatives_are_never_invited_by_the_company(persona, program) -> None:
    with pytest.raises(ValidationError) as error:
        actions.invite(
            as_actor(persona.hr),
            program,
            [persona.employee],
            ambassador_type=kind(persona.organisation, "de_facto"),
        )
    assert "never contacted" in str(error.value)
    # Only when they asked, one person at a time, and never in a campaign.
    [sent], _ = actions.invite(
        as_actor(persona.hr),
        program,
        [persona.employee],
        ambassador_type=kind(persona.organisation, "de_facto"),
        on_request=True,
    )
    assert sent.ambassador_type.kind == "de_facto"
    with pytest.raises(ValidationError):
        actions.create_campaign(
            as_actor(persona.hr),
            program,
            [persona.sales],
            name="x",
            ambassador_type=kind(persona.organisation, "de_facto"),
        )


def test_a_manager_invites_their_own_reports_only(persona, program) -> None:
    manager: Any = PersonFactory(
        organisation=persona.organisation, with_user=True, email="manager@example.com"
    )
    report: Any = PersonFactory(organisation=persona.organisation, manager=manager)
    supporter = kind(persona.organisation, "supporter")
    [sent], _ = actions.invite(as_actor(manager), program, [report], ambassador_type=supporter)
    assert sent.source == "manager"
    with pytest.raises(PermissionDenied):
        actions.invite(as_actor(manager), program, [persona.employee], ambassador_type=supporter)


def test_people_ask_to_join_a_self_service_program(persona, client_for, program) -> None:
    client = client_for(persona.employee)
    assert "Ask to join" not in client.get("/me/programs/").content.decode()
    actions.update_program(as_actor(persona.marketer), program, self_service=True)
    assert "Ask to join" in client.get("/me/programs/").content.decode()
    response = client.post(f"/me/programs/{program.pk}/join")
    invitation = Invitation.objects.get(person=persona.employee)
    assert response["Location"] == f"/me/invitations/{invitation.pk}/"
    assert invitation.source == "self_service"
    client.post(response["Location"], {"accept": "1", "accept_charter": "on"})
    assert Enrolment.objects.get(person=persona.employee).status == "active"


def test_leaving_is_one_post_effective_at_once(persona, client_for, program, enrol) -> None:
    enrolment = enrol(persona.employee)
    received = []

    def receiver(sender, enrolment, disconnect_accounts, anonymise_history, **kwargs):
        received.append((enrolment.pk, disconnect_accounts, anonymise_history))

    enrolment_left.connect(receiver)
    try:
        client = client_for(persona.employee)
        page = client.get(f"/me/enrolments/{enrolment.pk}/leave")
        assert "Leave the program now" in page.content.decode()
        response = client.post(f"/me/enrolments/{enrolment.pk}/leave", {"history": "anonymised"})
    finally:
        enrolment_left.disconnect(receiver)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "ended"
    assert enrolment.ended_at is not None
    assert enrolment.history_choice == "anonymised"
    assert enrolment.disconnect_accounts is False
    assert received == [(enrolment.pk, False, True)]
    assert not RoleAssignment.objects.filter(person=persona.employee, role=Role.AMBASSADOR).exists()
    assert AuditEvent.objects.filter(action="enrolment.left", target_id=str(enrolment.pk)).exists()
    assert not selectors.may_share(persona.employee, program)


def test_the_ambassador_role_stays_while_another_enrolment_is_active(
    persona, program, enrol, invite
) -> None:
    from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR

    marketer = as_actor(persona.marketer)
    other = actions.create_program(marketer, name="Lancement", objectives=["sales"])
    actions.publish_charter(
        marketer,
        actions.save_charter_draft(marketer, other, body_fr=CHARTER_FR, body_en=CHARTER_EN),
    )
    first = enrol(persona.employee)
    second_invitation = invite(persona.employee, target=other)
    actions.accept_invitation(as_actor(persona.employee), second_invitation, charter_accepted=True)
    actions.leave(
        as_actor(persona.employee), first, anonymise_history=False, disconnect_accounts=True
    )
    assert RoleAssignment.objects.filter(person=persona.employee, role=Role.AMBASSADOR).exists()


def test_visibility_is_the_ambassadors_choice(persona, client_for, enrol) -> None:
    enrolment = enrol(persona.employee)
    client = client_for(persona.employee)
    page = client.get("/me/programs/").content.decode()
    assert "Managers see team totals only" in page
    client.post(f"/me/enrolments/{enrolment.pk}/visibility", {"individual_visibility": "on"})
    enrolment.refresh_from_db()
    assert enrolment.individual_visibility is True
    client.post(f"/me/enrolments/{enrolment.pk}/visibility", {})
    enrolment.refresh_from_db()
    assert enrolment.individual_visibility is False
    assert (
        client_for(persona.ambassador)
        .post(f"/me/enrolments/{enrolment.pk}/visibility", {"individual_visibility": "on"})
        .status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="enrolment.visibility_changed").count() == 2


def test_a_campaign_reminds_until_the_limit_then_invitations_expire(
    persona, client_for, program, immediate_tasks, mailoutbox
) -> None:
    people: list[Any] = [PersonFactory(organisation=persona.organisation) for _ in range(3)]
    with immediate_tasks():
        _invite_page(
            client_for(persona.hr),
            program,
            "\n".join(person.email for person in people),
            campaign_name="Printemps",
            reminder_after_days=3,
            max_reminders=1,
        )
    campaign = InvitationCampaign.objects.get()
    assert campaign.invitations.count() == 3
    assert len(mailoutbox) == 3
    first = campaign.invitations.get(person=people[0])
    actions.decline_invitation(as_actor(people[0]), first)

    now = timezone.now()
    with immediate_tasks():
        assert actions.send_due_reminders(now + timedelta(days=1)) == 0
        assert actions.send_due_reminders(now + timedelta(days=4)) == 2
        assert actions.send_due_reminders(now + timedelta(days=8)) == 0  # at most one
    assert len(mailoutbox) == 5
    assert re.match("Reminder|Rappel", mailoutbox[-1].subject)
    # The reminder carries a fresh link; the old one no longer works.
    assert _link(mailoutbox[-1]) != _link(mailoutbox[2])
    assert actions.expire_invitations(now + timedelta(days=31)) == 2
    counts = selectors.funnel(campaign.invitations.all())
    assert counts["invited"] == 3
    assert counts["declined"] == 1
    assert counts["expired"] == 2
    page = (
        client_for(persona.hr)
        .get(f"/console/programs/{program.pk}/campaigns/{campaign.pk}/")
        .content.decode()
    )
    assert "Printemps" in page


def test_the_hourly_job_is_registered() -> None:
    from ambassade.core import periodic
    from ambassade.programs.tasks import remind_and_expire_invitations

    job = periodic.REGISTRY[remind_and_expire_invitations.module_path]
    assert job.interval == timedelta(hours=1)
    assert remind_and_expire_invitations.call() == {"expired": 0, "reminded": 0}


def test_the_funnel_counts_each_state(persona, client_for, program, invite) -> None:
    people = [
        PersonFactory(
            organisation=persona.organisation, with_user=True, email=f"f{index}@example.com"
        )
        for index in range(4)
    ]
    invitations = [invite(person) for person in people]
    actions.mark_opened(as_actor(people[0]), invitations[0])
    actions.accept_invitation(as_actor(people[1]), invitations[1], charter_accepted=True)
    actions.decline_invitation(as_actor(people[2]), invitations[2])
    page = client_for(persona.hr).get(f"/console/programs/{program.pk}/invitations/")
    assert page.status_code == 200
    counts = selectors.funnel(Invitation.objects.filter(program=program))
    assert counts == {
        "invited": 4,
        "opened": 3,
        "accepted": 1,
        "declined": 1,
        "expired": 0,
        "acceptance_rate": 25,
    }


def test_the_invitation_list_takes_a_fixed_number_of_queries(
    persona, client_for, program, invite
) -> None:
    client = client_for(persona.hr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/console/programs/{program.pk}/invitations/").status_code == 200
        return len(captured)

    invite(PersonFactory(organisation=persona.organisation))
    few = queries()
    for _ in range(15):
        invite(PersonFactory(organisation=persona.organisation), "mission")
    assert queries() == few


def test_the_links_secret_never_waits_in_the_task_queue(
    persona, program, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        [invitation], _ = actions.invite(
            as_actor(persona.hr),
            program,
            [persona.employee],
            ambassador_type=kind(persona.organisation, "supporter"),
        )
    queued = DBTaskResult.objects.get(task_path="ambassade.programs.tasks.send_invitation_mail")
    assert queued.args_kwargs["args"] == [invitation.pk, False]
