"""Microsoft Entra ID's requests (requests/entra_id.json): PATCH without a path with
URN keys, "False" as a string, the periodic active:true, emails[type eq "work"].value."""

from __future__ import annotations

from typing import Any

from ambassade.core.models import AuditEvent
from ambassade.people.models import EmploymentStatus, Person
from ambassade.provisioning.tests.conftest import ENTERPRISE, play


def test_entra_id_sequence(scim: Any, persona: Any) -> None:
    ids, answers = play(scim, "entra_id")
    assert answers[0].body["totalResults"] == 0 and answers[0].body["Resources"] == []
    adele = Person.objects.get(pk=ids["adele"])
    megan = Person.objects.get(pk=ids["megan"])
    assert adele.organisation == persona.organisation
    assert adele.email == "adele.martin@contoso.example"  # lowercased, then changed by PATCH
    assert (adele.first_name, adele.last_name) == ("Adele", "Vance-Martin")
    assert adele.job_title == "Head of Retail"
    assert adele.external_id == "6e1c8a42-38b1-4f3a-9a3e-1f0f2b0c9d11"
    assert adele.employee_number == "4711"
    assert adele.manager == megan
    assert adele.employment_status == EmploymentStatus.ACTIVE
    # Added to the Marketing group: the department Marketing.
    assert adele.department is not None and adele.department.name == "Marketing"
    assert megan.employment_status == EmploymentStatus.LEFT
    last_user_answer = answers[8].body
    assert last_user_answer["userName"] == "adele.martin@contoso.example"
    assert last_user_answer["emails"] == [
        {"value": "adele.martin@contoso.example", "type": "work", "primary": True}
    ]
    assert last_user_answer[ENTERPRISE]["manager"]["value"] == ids["megan"]
    membership = answers[11].body
    assert membership["totalResults"] == 0  # asked before the membership was added
    # The position changes went through update_person: announced, audited through SCIM.
    moves = AuditEvent.objects.filter(action="person.updated", target_id=ids["adele"], via="scim")
    assert any("department" in (row.after or {}) for row in moves)
    assert AuditEvent.objects.filter(action="person.departed", target_id=ids["megan"]).exists()


def test_entra_id_group_membership_filter_finds_the_member(scim: Any, persona: Any) -> None:
    ids, _answers = play(scim, "entra_id")
    found = scim.get(
        f'Groups?excludedAttributes=members&filter=id eq "{ids["group"]}" and '
        f'members[value eq "{ids["adele"]}"]'
    )
    assert found.body["totalResults"] == 1
    assert "members" not in found.body["Resources"][0]
