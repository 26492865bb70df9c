"""HR creates the programs whose goal is the employer brand and runs them, targets
included; marketing runs every program; the pages show only what the viewer may open."""

from __future__ import annotations

import re

import pytest

from ambassade.programs import actions
from ambassade.programs.models import KpiTarget, Program
from ambassade.programs.tests.conftest import as_actor

pytestmark = pytest.mark.django_db

TARGET = {
    "metric": "applications",
    "target": "12",
    "period_start": "2027-01-01",
    "period_end": "2027-06-30",
}


def test_hr_creates_an_employer_brand_program_and_sets_its_targets(persona, client_for) -> None:
    client = client_for(persona.hr)
    form = client.get("/console/programs/new").content.decode()
    assert re.search(r'value="employer_brand"[^>]*checked', form)  # preselected
    response = client.post(
        "/console/programs/new", {"name": "Talents", "objectives": ["employer_brand"]}
    )
    program = Program.objects.get(name="Talents")
    assert response.status_code == 302
    assert list(program.owners.all()) == [persona.hr]
    response = client.post(f"/console/programs/{program.pk}/targets/", TARGET)
    assert response.status_code == 302
    assert KpiTarget.objects.get(program=program).target == 12
    page = client.get(f"/console/programs/{program.pk}/").content.decode()
    assert f'href="/console/programs/{program.pk}/targets/"' in page
    assert f'href="/console/programs/{program.pk}/edit"' in page


def test_hr_programs_have_the_employer_brand_among_their_goals(persona, client_for) -> None:
    response = client_for(persona.hr).post(
        "/console/programs/new", {"name": "Ventes", "objectives": ["sales"]}
    )
    assert response.status_code == 200
    assert "employer brand among their objectives" in response.content.decode()
    assert not Program.objects.exists()
    response = client_for(persona.hr).post(
        "/api/v1/programs",
        {"name": "Ventes", "objectives": ["sales"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "objectives"


def test_hr_runs_another_program_only_as_its_owner(persona, client_for) -> None:
    program = actions.create_program(
        as_actor(persona.marketer), name="Notoriété", objectives=["brand_awareness"]
    )
    client = client_for(persona.hr)
    page = client.get(f"/console/programs/{program.pk}/").content.decode()
    assert "/targets/" not in page and "/edit" not in page
    assert client.get(f"/console/programs/{program.pk}/targets/").status_code == 403
    assert client.get(f"/console/programs/{program.pk}/edit").status_code == 403
    api = client.post(
        f"/api/v1/programs/{program.pk}/targets", TARGET, content_type="application/json"
    )
    assert api.status_code == 403
    actions.update_program(
        as_actor(persona.marketer), program, owner_ids=[persona.marketer.pk, persona.hr.pk]
    )
    assert client.post(f"/console/programs/{program.pk}/targets/", TARGET).status_code == 302


def test_tabs_show_only_the_sections_the_viewer_opens(persona, client_for, program) -> None:
    for name, shown, hidden in [
        ("marketer", ["targets/", "charter/"], ["invitations/"]),
        ("comms", ["charter/"], ["targets/", "invitations/"]),
        ("hr", ["targets/", "charter/", "invitations/"], []),
        ("sales", [], ["targets/", "charter/", "invitations/"]),
    ]:
        page = client_for(getattr(persona, name)).get(f"/console/programs/{program.pk}/")
        html = page.content.decode()
        for section in shown:
            assert f'href="/console/programs/{program.pk}/{section}"' in html, (name, section)
        for section in hidden:
            assert f'href="/console/programs/{program.pk}/{section}"' not in html, (name, section)
