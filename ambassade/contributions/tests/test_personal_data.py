"""My contributions and report consents are in my data export; erasure forgets them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ambassade.contributions.models import Contribution
from ambassade.contributions.tests.conftest import contribution, enrol, today
from ambassade.people.tests.test_lifecycle import read_zip

pytestmark = pytest.mark.django_db


def test_exported_and_erased(persona, program, client_for) -> None:
    enrolment = enrol(program, persona.employee, "mission", consent=True)
    contribution(persona.employee, today() - timedelta(days=4), "Atelier LinkedIn", kind="training")
    files = read_zip(client_for(persona.employee).get("/me/data.zip").content)
    exported = files["contributions.json"]
    assert exported["contributions"][0]["title"] == "Atelier LinkedIn"
    assert exported["contribution_report_consent"] == {"Social selling": True}

    url = f"/console/people/{persona.employee.pk}/erase/"
    assert client_for(persona.admin).post(url, {"confirm": "erase"}).status_code == 302
    assert not Contribution.objects.filter(person=persona.employee).exists()
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is False
