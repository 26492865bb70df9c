"""Content targeting uses the audiences' saved segments and says how many it reaches."""

from __future__ import annotations

import pytest

from ambassade.content.models import ContentItem
from ambassade.people.models import SavedSegment
from ambassade.testing.factories import DepartmentFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _create(client, program, **extra):
    data = {"kind": "article", "program": program.pk, "language": "fr", **extra}
    return client.post("/console/content/new", data)


def test_a_segment_fills_the_targeting_and_the_item_says_whom_it_reaches(
    persona, client_for, program
) -> None:
    organisation = persona.organisation
    sales = DepartmentFactory(organisation=organisation, name="Ventes")
    lyon = SiteFactory(organisation=organisation, name="Lyon")
    for _ in range(3):
        PersonFactory(organisation=organisation, department=sales, languages=["fr"])
    PersonFactory(organisation=organisation, department=sales, languages=["en"])
    PersonFactory(organisation=organisation, department=sales, employment_status="left")
    segment = SavedSegment.objects.create(
        organisation=organisation, name="Ventes FR", criteria={"department": [str(sales.pk)]}
    )
    marketer = client_for(persona.marketer)
    _create(
        marketer,
        program,
        url="https://example.com/a",
        title="A",
        segment=segment.pk,
        sites=[lyon.pk],
        target_languages=["fr"],
    )
    item = ContentItem.objects.get()
    assert list(item.target_departments.all()) == [sales]
    assert list(item.target_sites.all()) == [lyon]
    page = marketer.get(f"/console/content/{item.pk}/").content.decode()
    assert "0 people reached now" in page  # nobody of Ventes works in Lyon
    item.target_sites.clear()
    item.targets_sites = False
    item.save()
    page = marketer.get(f"/console/content/{item.pk}/").content.decode()
    assert "3 people reached now" in page


def test_a_segment_content_cannot_express_is_refused_not_widened(
    persona, client_for, program
) -> None:
    segment = SavedSegment.objects.create(
        organisation=persona.organisation,
        name="Motivés",
        criteria={"self_assessment": ["motivated"]},
    )
    response = _create(
        client_for(persona.marketer),
        program,
        url="https://example.com/a",
        title="A",
        segment=segment.pk,
    )
    assert "this segment also uses: Self-assessment" in response.content.decode()
    assert not ContentItem.objects.exists()
