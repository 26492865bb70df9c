"""Okta's requests (requests/okta.json): the userName filter with startIndex=1&count=100,
updates by PUT, deactivation by PUT and by PATCH active:false, group push."""

from __future__ import annotations

from typing import Any

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.people.models import Department, EmploymentStatus, Person
from ambassade.provisioning.actions import set_group_mapping
from ambassade.provisioning.models import ProvisioningEvent
from ambassade.provisioning.tests.conftest import play


def test_okta_sequence(scim: Any, persona: Any) -> None:
    set_group_mapping(actor_for_person(persona.admin), "sites")
    ids, answers = play(scim, "okta")
    assert answers[1].body["totalResults"] == 0
    found = answers[3].body
    assert (found["totalResults"], found["startIndex"], found["itemsPerPage"]) == (1, 1, 1)
    assert found["Resources"][0]["id"] == ids["bob"]
    bob = Person.objects.get(pk=ids["bob"])
    assert (bob.first_name, bob.job_title, bob.employee_number) == (
        "Robert",
        "Account Executive",
        "A-1042",
    )
    assert bob.department == Department.objects.get(organisation=persona.organisation, name="Sales")
    assert bob.employment_status == EmploymentStatus.LEFT and bob.end_date is not None
    departures = AuditEvent.objects.filter(action="person.departed", target_id=ids["bob"])
    assert departures.count() == 2  # by PUT, then (after the reactivation) by PATCH
    assert AuditEvent.objects.filter(action="person.reinstated", target_id=ids["bob"]).count() == 1
    outcomes = list(
        ProvisioningEvent.objects.filter(resource_id=ids["bob"])
        .order_by("at", "id")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["created", "changed", "deactivated", "reactivated", "deactivated"]
    # Groups are sites here: the pushed group is a site, renamed by the no-path PATCH.
    assert answers[-1].body["displayName"] == "Lyon Part-Dieu"
    assert ids["group"].startswith("site-")
    assert persona.organisation.sites.filter(name="Lyon Part-Dieu").exists()
