"""The console's global search: grouped by kind, scoped, and a fixed number of queries."""

from __future__ import annotations

from ambassade.content.models import ContentItem
from ambassade.programs.models import Program
from ambassade.testing.factories import PersonFactory


def _world(persona) -> None:
    organisation = persona.organisation
    for n in range(12):
        PersonFactory(organisation=organisation, first_name="Verdier", last_name=f"N{n:02}")
    PersonFactory(organisation=persona.outsider.organisation, first_name="Verdier", last_name="Out")
    program = Program.objects.create(organisation=organisation, name="Lancement Verdier Flow")
    Program.objects.create(organisation=persona.outsider.organisation, name="Verdier ailleurs")
    ContentItem.objects.create(
        organisation=organisation, program=program, title="Verdier Flow arrive"
    )


def test_results_are_grouped_by_kind_and_scoped_to_the_organisation(persona, client_for) -> None:
    _world(persona)
    page = client_for(persona.admin).get("/console/search/?q=verdier").content.decode()
    assert "Lancement Verdier Flow" in page and "Verdier Flow arrive" in page
    assert "Verdier ailleurs" not in page and "Out" not in page
    assert "See all 12 results in the list" in page


def test_each_kind_shows_only_to_those_who_may_see_it(persona, client_for) -> None:
    _world(persona)
    coach = client_for(persona.coach).get("/console/search/?q=verdier").content.decode()
    assert "Verdier N00" in coach and "Verdier Flow arrive" not in coach
    assert client_for(persona.employee).get("/console/search/?q=verdier").status_code == 403


def test_the_search_costs_the_same_queries_for_ten_or_a_thousand_hits(
    persona, client_for, django_assert_max_num_queries
) -> None:
    _world(persona)
    admin = client_for(persona.admin)
    admin.get("/console/search/?q=verdier")  # the session and caches warm up
    with django_assert_max_num_queries(16):
        admin.get("/console/search/?q=verdier")
    for n in range(30):
        PersonFactory(organisation=persona.organisation, first_name="Verdier", last_name=f"M{n}")
    with django_assert_max_num_queries(16):
        admin.get("/console/search/?q=verdier")
