"""Audiences: the people list's filters, its CSV export, and saved segments."""

from __future__ import annotations

from ambassade.core.models import AuditEvent
from ambassade.people.models import SavedSegment, SelfAssessment
from ambassade.testing.factories import DepartmentFactory, PersonFactory, SiteFactory


def _org(persona):
    organisation = persona.organisation
    sales = DepartmentFactory(organisation=organisation, name="Ventes")
    lyon = SiteFactory(organisation=organisation, name="Lyon")
    anna = PersonFactory(
        organisation=organisation, department=sales, site=lyon, first_name="Anna", last_name="Zed"
    )
    bob = PersonFactory(organisation=organisation, department=sales, first_name="Bob")
    carl = PersonFactory(organisation=organisation, site=lyon, first_name="Carl")
    return sales, lyon, anna, bob, carl


def test_the_people_list_filters_by_department_and_site_and_keeps_them_in_the_pages(
    persona, client_for
) -> None:
    sales, lyon, _anna, _bob, _carl = _org(persona)
    for n in range(50):
        PersonFactory(organisation=persona.organisation, department=sales, last_name=f"Y{n:02}")
    hr = client_for(persona.hr)
    page = hr.get(f"/console/people/?department={sales.pk}&site={lyon.pk}").content.decode()
    assert "Anna" in page and "Bob" not in page and "Carl" not in page
    first = hr.get(f"/console/people/?department={sales.pk}").content.decode()
    assert "52 people" in first
    assert f"department={sales.pk}&amp;page=2" in first


def test_an_unknown_filter_value_is_a_clear_400(persona, client_for) -> None:
    elsewhere = DepartmentFactory(organisation=persona.outsider.organisation)
    response = client_for(persona.hr).get(f"/console/people/?department={elsewhere.pk}")
    assert response.status_code == 400
    assert "does not exist any more" in response.content.decode()


def test_hr_exports_the_ticked_people_and_the_export_is_audited(persona, client_for) -> None:
    _sales, _lyon, anna, bob, _carl = _org(persona)
    anna.job_title = "=HYPERLINK(1)"
    anna.save()
    response = client_for(persona.hr).post(
        "/console/people/bulk", {"action": "export", "person": [anna.pk, bob.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.count("\n") == 3
    assert "'=HYPERLINK(1)" in text
    assert AuditEvent.objects.get(action="people.exported").after == {"people": 2}


def test_a_coach_reads_the_list_but_may_not_export_it(persona, client_for) -> None:
    _org(persona)
    coach = client_for(persona.coach)
    assert coach.get("/console/people/").status_code == 200
    assert coach.post("/console/people/bulk", {"action": "export"}).status_code == 403


def test_a_saved_segment_counts_its_people_and_is_audited(persona, client_for) -> None:
    sales, _lyon, _anna, bob, _carl = _org(persona)
    SelfAssessment.objects.create(
        person=bob, social_comfort=2, motivation=5, willingness_to_learn=3
    )
    marketer = client_for(persona.marketer)
    data = {"name": "Ventes motivées", "department": [sales.pk], "self_assessment": ["motivated"]}
    counted = marketer.post("/console/people/segments/", {**data, "count": "1"})
    assert "1 person matches." in counted.content.decode()
    saved = marketer.post("/console/people/segments/", data)
    assert saved.status_code == 302
    segment = SavedSegment.objects.get(organisation=persona.organisation)
    assert segment.criteria == {"department": [str(sales.pk)], "self_assessment": ["motivated"]}
    assert AuditEvent.objects.filter(action="segment.saved").count() == 1
    empty = marketer.post("/console/people/segments/", {"name": "Tout le monde"})
    assert "a segment of everyone is useless" in empty.content.decode()


def test_segments_are_for_those_who_invite_or_target(persona, client_for) -> None:
    assert client_for(persona.coach).get("/console/people/segments/").status_code == 403
    assert client_for(persona.hr).get("/console/people/segments/").status_code == 200
