"""Programs, objectives, targets and ambassador types, through the console pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.programs import actions
from ambassade.programs.models import AmbassadorType, KpiTarget, Program
from ambassade.programs.tests.conftest import as_actor
from ambassade.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_marketing_creates_a_program_with_objectives_owners_and_working_group(
    persona, client_for
) -> None:
    response = client_for(persona.marketer).post(
        "/console/programs/new",
        {
            "name": "Social selling",
            "description": "Les commerciaux partagent nos études de cas.",
            "objectives": ["sales", "brand_awareness"],
            "owners": [persona.marketer.pk, persona.sales.pk],
            "working_group": f"{persona.hr.email}\n{persona.coach.email}",
            "self_service": "on",
        },
    )
    program = Program.objects.get(name="Social selling")
    assert response.status_code == 302
    assert response["Location"] == f"/console/programs/{program.pk}/"
    assert program.organisation == persona.organisation
    assert program.objectives == ["sales", "brand_awareness"]
    assert set(program.owners.all()) == {persona.marketer, persona.sales}
    assert set(program.working_group.all()) == {persona.hr, persona.coach}
    assert program.self_service
    assert AuditEvent.objects.filter(action="program.created", target_id=str(program.pk)).exists()
    page = client_for(persona.coach).get(f"/console/programs/{program.pk}/").content.decode()
    assert "Social selling" in page
    assert "Sales" in page


def test_a_program_needs_a_name_and_an_objective(persona, client_for) -> None:
    response = client_for(persona.marketer).post("/console/programs/new", {"name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Choose at least one objective." in page
    assert not Program.objects.exists()


def test_owners_must_hold_a_console_role(persona) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_program(
            as_actor(persona.marketer),
            name="X",
            objectives=["sales"],
            owner_ids=[persona.ambassador.pk],
        )
    assert "owner_ids" in error.value.message_dict


def test_unknown_working_group_addresses_are_named(persona, client_for) -> None:
    response = client_for(persona.marketer).post(
        "/console/programs/new",
        {"name": "X", "objectives": ["sales"], "working_group": "nobody@nowhere.example"},
    )
    assert "nobody@nowhere.example" in response.content.decode()
    assert not Program.objects.exists()


def test_marketing_edits_and_archives_a_program(persona, client_for, program) -> None:
    response = client_for(persona.admin).post(
        f"/console/programs/{program.pk}/edit",
        {"name": "Marque employeur 2027", "objectives": ["employer_brand"], "status": "archived"},
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Marque employeur 2027"
    assert program.status == "archived"


def test_the_working_group_reads_but_does_not_edit(persona, client_for, program) -> None:
    # HR runs this employer-brand program (test_program_roles.py); the others read it.
    for reader in (persona.comms, persona.sales, persona.coach):
        client = client_for(reader)
        assert client.get(f"/console/programs/{program.pk}/").status_code == 200
        assert client.get(f"/console/programs/{program.pk}/edit").status_code == 403
        assert client.get("/console/programs/new").status_code == 403


def test_targets_are_shown_on_the_program_page(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    response = client.post(
        f"/console/programs/{program.pk}/targets/",
        {
            "metric": "human_clicks",
            "target": "1500",
            "period_start": "2027-01-01",
            "period_end": "2027-03-31",
        },
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get(program=program)
    assert target.metric == "human_clicks"
    page = client_for(persona.sales).get(f"/console/programs/{program.pk}/").content.decode()
    assert "Human clicks" in page
    assert "1,500" in page or "1500" in page


@pytest.mark.parametrize(
    ("target", "start", "end", "field", "message"),
    [
        ("0", "2027-01-01", "2027-02-01", "target", "greater than zero"),
        ("-5", "2027-01-01", "2027-02-01", "target", "greater than zero"),
        ("10", "2027-02-01", "2027-01-01", "period_end", "must be after its start"),
        ("10", "2027-02-01", "2027-02-01", "period_end", "must be after its start"),
    ],
)
def test_bad_targets_are_refused_next_to_the_field(
    persona, client_for, program, target, start, end, field, message
) -> None:
    response = client_for(persona.marketer).post(
        f"/console/programs/{program.pk}/targets/",
        {"metric": "shares", "target": target, "period_start": start, "period_end": end},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KpiTarget.objects.exists()


def test_a_target_is_deleted_with_one_post(persona, client_for, program) -> None:
    from datetime import date
    from decimal import Decimal

    target = actions.add_target(
        as_actor(persona.marketer),
        program,
        metric="shares",
        target=Decimal(100),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 1),
    )
    url = f"/console/programs/{program.pk}/targets/{target.pk}/delete"
    assert client_for(persona.comms).post(url).status_code == 403
    assert client_for(persona.outsider).post(url).status_code == 404
    assert client_for(persona.marketer).get(url).status_code == 405
    assert client_for(persona.marketer).post(url).status_code == 302
    assert not KpiTarget.objects.exists()


def test_the_programs_list_takes_a_fixed_number_of_queries(persona, client_for) -> None:
    client = client_for(persona.hr)
    marketer = as_actor(persona.marketer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/console/programs/").status_code == 200
        return len(captured)

    actions.create_program(marketer, name="P0", objectives=["sales"])
    few = queries()
    for index in range(1, 12):
        actions.create_program(
            marketer,
            name=f"P{index}",
            objectives=["sales", "brand_awareness"],
            owner_ids=[persona.marketer.pk, persona.admin.pk],
        )
    assert queries() == few


def test_every_organisation_gets_the_seven_ambassador_types() -> None:
    organisation: Any = OrganisationFactory(slug="new-one")
    kinds = set(
        AmbassadorType.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    assert kinds == {
        "community_manager",
        "mission",
        "designated",
        "supporter",
        "de_facto",
        "alumni",
        "partner",
    }
    de_facto = AmbassadorType.objects.get(organisation=organisation, kind="de_facto")
    assert de_facto.may_contact is False
    mission = AmbassadorType.objects.get(organisation=organisation, kind="mission")
    assert mission.counts_in_evaluation is True
    # Idempotent.
    actions.ensure_default_types(organisation)
    assert AmbassadorType.objects.filter(organisation=organisation).count() == 7


def test_hr_edits_an_ambassador_type_and_marketing_cannot(persona, client_for) -> None:
    supporter = AmbassadorType.objects.get(organisation=persona.organisation, kind="supporter")
    url = f"/console/ambassador-types/{supporter.pk}/"
    assert client_for(persona.marketer).get(url).status_code == 403
    response = client_for(persona.hr).post(
        url,
        {
            "name": "Relais volontaire",
            "required_training": "Une heure d'introduction.",
            "posting_guidance": "Avec vos mots.",
            "may_contact": "on",
        },
    )
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.label == "Relais volontaire"
    assert supporter.required_training == "Une heure d'introduction."
    assert AuditEvent.objects.filter(action="ambassador_type.updated").exists()
    page = client_for(persona.coach).get("/console/ambassador-types/").content.decode()
    assert "Relais volontaire" in page


def test_the_sidebar_shows_programs_to_the_console_only(persona, client_for) -> None:
    assert (
        'href="/console/programs/"' in client_for(persona.coach).get("/console/").content.decode()
    )
    me = client_for(persona.employee).get("/me/").content.decode()
    assert 'href="/me/programs/"' in me
    assert 'href="/console/programs/"' not in me


def test_lists_never_show_another_organisation(persona, client_for, program) -> None:
    elsewhere = actions.create_program(
        as_actor(persona.outsider), name="Programme ailleurs", objectives=["sales"]
    )
    page = client_for(persona.outsider).get("/console/programs/").content.decode()
    assert "Programme ailleurs" in page
    assert "Marque employeur" not in page
    listed = client_for(persona.outsider).get("/api/v1/programs").json()
    assert [item["id"] for item in listed["items"]] == [elsewhere.pk]
    assert client_for(persona.outsider).get(f"/console/programs/{program.pk}/").status_code == 404
    assert client_for(persona.hr).get(f"/console/programs/{elsewhere.pk}/").status_code == 404
    # Nor can another organisation's people be named owners or working group.
    with pytest.raises(ValidationError):
        actions.update_program(
            as_actor(persona.marketer), program, working_group_ids=[persona.outsider.pk]
        )
