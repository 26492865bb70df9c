"""Groups of checkboxes are fieldsets named by their legend; long people lists filter."""

from __future__ import annotations

import re

import pytest

from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_checkbox_groups_title_is_its_legend_not_a_label_around_its_first_box(
    persona, client_for, program
) -> None:
    DepartmentFactory(organisation=persona.organisation, name="Communication interne")
    page = client_for(persona.marketer).get("/console/content/new").content.decode()
    assert re.search(r"<fieldset[^>]*><legend>For these departments</legend>", page)
    # Before: <label class="checkbox"><div id="id_departments">… For these departments</label>
    assert not re.search(r'<label class="checkbox">\s*<div', page)


def test_the_compliance_reviewer_picker_is_a_searchable_list_of_checkboxes(
    persona, client_for, program
) -> None:
    for n in range(30):
        PersonFactory(organisation=persona.organisation, roles=["coach"], last_name=f"Relecteur{n}")
    page = (
        client_for(persona.marketer)
        .get(f"/console/content/setup/programs/{program.pk}/")
        .content.decode()
    )
    picker = page[page.index("<legend>Compliance reviewers</legend>") - 200 :]
    assert "data-searchable" in picker[:300]
    assert picker.count('type="checkbox" name="compliance_reviewers"') >= 30
    assert "<select" not in picker.split("</fieldset>")[0]
