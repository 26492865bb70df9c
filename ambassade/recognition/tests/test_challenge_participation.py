"""Whether a challenge moved more people: the participation rate before, during and after
it, by the dashboards' definition, on the campaign page, the challenge's page and in the
API; a challenge of one department reads that department's rate."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from ambassade.analytics import rollup
from ambassade.analytics.tests.conftest import account, share
from ambassade.core.authz import actor_for_person
from ambassade.programs.models import Enrolment
from ambassade.recognition import campaigns, participation
from ambassade.recognition.tests.campaign_fixtures import department, member, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_challenge(persona, program, item):
    """Four R&D members and one of Ventes, enrolled a month ago; a five-day challenge of
    the R&D that ended a week ago. Before it one R&D member shared, during it three, after
    it two; the Ventes member shared every day (not of the challenge's department)."""
    rd, sales = department(program, "R&D"), department(program, "Ventes")
    people = [member(program, rd) for _ in range(4)]
    other = member(program, sales)
    month_ago = datetime.combine(today() - timedelta(days=30), time.min, tzinfo=UTC)
    Enrolment.objects.filter(program=program).update(started_at=month_ago)
    start = today() - timedelta(days=11)
    challenge = campaigns.create_challenge(
        actor_for_person(persona.marketer),
        program,
        name="Une semaine pour la R&D",
        target=10,
        points=20,
        eligible_departments=[rd.pk],
        starts_on=start,
        ends_on=start + timedelta(days=4),
    )
    for person, days in [
        (people[0], [-3, 1, 6]),  # before, during and after
        (people[1], [2]),
        (people[2], [4, 7]),
    ]:
        social = account(person, 100)
        for offset in days:
            share(person, item, start + timedelta(days=offset), social=social)
    social = account(other, 100)
    for offset in range(-5, 10):
        share(other, item, start + timedelta(days=offset), social=social)
    rollup.rebuild()
    return challenge


def test_the_rates_before_during_and_after(ended_challenge) -> None:
    rates = participation.around(ended_challenge, today())
    assert [(r.period, r.active, r.enrolled, str(r.rate)) for r in rates] == [
        ("before", 1, 4, "25.0"),
        ("during", 3, 4, "75.0"),
        ("after", 2, 4, "50.0"),
    ]
    assert rates[0].end == ended_challenge.starts_on - timedelta(days=1)
    assert (rates[2].end - rates[2].start).days == 4


def test_a_challenge_not_begun_has_no_rates_and_a_running_one_no_after(
    ended_challenge,
) -> None:
    ended_challenge.starts_on = today() + timedelta(days=1)
    ended_challenge.ends_on = today() + timedelta(days=3)
    assert participation.around(ended_challenge, today()) == []
    ended_challenge.starts_on = today() - timedelta(days=1)
    periods = [rate.period for rate in participation.around(ended_challenge, today())]
    assert periods == ["before", "during"]


def test_the_pages_and_the_api_show_them(persona, program, client_for, ended_challenge) -> None:
    client = client_for(persona.marketer)
    page = client.get(f"/console/recognition/challenges/{ended_challenge.pk}/").content.decode()
    assert "75.0 %" in page and "(3/4)" in page and "25.0 %" in page
    found = client.get(f"/api/v1/recognition/challenges?program_id={program.pk}").json()
    assert [(row["period"], row["rate"]) for row in found[0]["participation"]] == [
        ("before", "25.0"),
        ("during", "75.0"),
        ("after", "50.0"),
    ]
