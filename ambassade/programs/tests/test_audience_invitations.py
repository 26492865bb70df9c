"""HR invites a department in one step: the count first, then exactly those people."""

from __future__ import annotations

from ambassade.programs.models import AmbassadorType, Invitation
from ambassade.testing.factories import DepartmentFactory, PersonFactory


def _sales(persona):
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    other = DepartmentFactory(organisation=persona.organisation, name="Finance")
    members = [PersonFactory(organisation=persona.organisation, department=sales) for _ in range(3)]
    PersonFactory(organisation=persona.organisation, department=other)
    return sales, members


def _form(program, **extra):
    supporter = AmbassadorType.objects.get(organisation=program.organisation, kind="supporter")
    return {
        "recipients": "audience",
        "ambassador_type": supporter.pk,
        "reminder_after_days": 7,
        "max_reminders": 2,
        **extra,
    }


def test_hr_counts_a_department_then_invites_exactly_its_people(
    persona, program, client_for
) -> None:
    sales, members = _sales(persona)
    url = f"/console/programs/{program.pk}/invitations/"
    hr = client_for(persona.hr)
    counted = hr.post(url, _form(program, count="1", **{"audience-department": [sales.pk]}))
    assert counted.status_code == 200
    assert "3 people match." in counted.content.decode()
    assert not Invitation.objects.exists()
    sent = hr.post(url, _form(program, **{"audience-department": [sales.pk]}))
    assert sent.status_code == 302
    invited = set(Invitation.objects.filter(program=program).values_list("person_id", flat=True))
    assert invited == {person.pk for person in members}


def test_an_empty_audience_or_another_organisations_department_is_refused(
    persona, program, client_for
) -> None:
    url = f"/console/programs/{program.pk}/invitations/"
    hr = client_for(persona.hr)
    everyone = hr.post(url, _form(program))
    assert "nobody invites everyone at once" in everyone.content.decode()
    elsewhere = DepartmentFactory(organisation=persona.outsider.organisation, name="Ventes")
    foreign = hr.post(url, _form(program, **{"audience-department": [elsewhere.pk]}))
    assert foreign.status_code == 200
    assert not Invitation.objects.exists()


def test_the_people_list_invites_the_ticked_people_and_says_who_was_not(
    persona, program, client_for, invite
) -> None:
    _sales_department, members = _sales(persona)
    invite(members[0])  # already invited: refused with its reason
    hr = client_for(persona.hr)
    chosen = {"action": "invite", "person": [person.pk for person in members]}
    step = hr.post("/console/people/bulk", chosen, follow=True)
    assert "Invite to a program" in step.content.decode()
    supporter = AmbassadorType.objects.get(organisation=program.organisation, kind="supporter")
    done = hr.post(
        "/console/programs/bulk-invite",
        {**chosen, "program": program.pk, "ambassador_type": supporter.pk},
        follow=True,
    )
    page = done.content.decode()
    assert "2 invited, 1 refused: " in page
    assert members[0].full_name in page
    assert Invitation.objects.filter(program=program).count() == 3


def test_marketing_may_not_invite_from_the_people_list(persona, program, client_for) -> None:
    _sales_department, members = _sales(persona)
    response = client_for(persona.marketer).post(
        "/console/people/bulk", {"action": "invite", "person": [members[0].pk]}
    )
    assert response.status_code == 403
