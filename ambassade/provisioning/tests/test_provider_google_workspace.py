"""Google Workspace's attributes (requests/google_workspace.json): primary e-mail,
employee details, an unknown attribute refused, suspension."""

from __future__ import annotations

from typing import Any

from ambassade.people.models import EmploymentStatus, Person
from ambassade.provisioning.models import ProvisioningEvent
from ambassade.provisioning.tests.conftest import play


def test_google_workspace_sequence(scim: Any, persona: Any) -> None:
    ids, answers = play(scim, "google_workspace")
    chloe = Person.objects.get(pk=ids["chloe"])
    assert (chloe.first_name, chloe.email) == ("Chloé", "chloe.leroy@example.fr")
    assert chloe.job_title == "Senior Data Analyst"
    assert chloe.employee_number == "FR-0093"
    assert chloe.department is not None and chloe.department.name == "Finance"
    assert chloe.external_id == "104857600123456789012"
    assert chloe.employment_status == EmploymentStatus.LEFT
    refused = answers[2]
    assert refused.body["scimType"] == "invalidSyntax"
    assert "orgUnitPath" in refused.body["detail"]
    assert not Person.objects.filter(email="other@example.fr").exists()
    line = ProvisioningEvent.objects.get(outcome="refused")
    assert "orgUnitPath" in line.detail and "other@example.fr" not in line.detail
