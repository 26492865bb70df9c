"""The influence indicator against hand-made figures: each part, the caps, no follower counts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from ambassade.analytics import influence as indicator
from ambassade.analytics.influence import influence
from ambassade.analytics.models import DailyShareStats
from ambassade.content.models import Suggestion
from ambassade.contributions.tests.conftest import (
    contribution,
    enrol,
    message,
    stats,
    today,
)
from ambassade.programs.models import Program
from ambassade.sharing.models import SharingSettings, SocialAccount
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    """Four weeks, today included."""
    return today() - timedelta(days=27), today()


@pytest.fixture
def figures(persona, program, item, period):
    """The ambassador's month in the program, with noise that must not count."""
    me = persona.ambassador
    start = period[0]
    enrol(program, me)
    other_program = Program.objects.create(organisation=program.organisation, name="Autre")
    first = {"shares_published": 2, "likes": 10, "reposts": 4, "replies": 2}
    stats(me, program, start + timedelta(1), item, potential_reach=5000, **first)
    stats(me, program, start + timedelta(15), item, shares_published=2, likes=4, conversions=1)
    stats(me, program, start + timedelta(16), item, shares_declared=1, human_clicks=30)
    # Before the period, in another program, someone else: none of it counts.
    stats(me, program, start - timedelta(5), item, shares_published=5, likes=100)
    stats(me, other_program, start + timedelta(2), None, shares_published=3, likes=60)
    stats(persona.sales, program, start + timedelta(2), item, shares_published=1, likes=50)
    # Messages: two in my own words, one copy, one never measured (left out).
    for similarity in (30, 95, 50, None):
        message(me, item, start + timedelta(3), similarity)
    message(me, item, start - timedelta(3), 95)  # before the period
    # Contributions: one for the program, one for none in particular; not the others.
    contribution(me, start + timedelta(4), program=program)
    contribution(me, start + timedelta(20), "Article", kind="article")
    contribution(me, start + timedelta(6), "Autre programme", program=other_program)
    contribution(me, start - timedelta(1), "Trop tôt")
    Suggestion.objects.create(
        organisation=me.organisation,
        author=me,
        text="Notre étude de cas",
        state=Suggestion.State.ACCEPTED,
        moderated_at=datetime.combine(start + timedelta(8), time(9), tzinfo=UTC),
    )
    return me


def _parts(found):
    return {part.key: part for part in found.parts}


def test_each_part_is_computed_from_the_period_and_the_program(figures, program, period) -> None:
    found = influence(figures, program, *period)
    parts = _parts(found)
    # (10 + 4 + 2 + 4) reactions over 4 published posts; 20 per post scores 100.
    assert parts["engagement_per_post"].value == 5.0
    assert parts["engagement_per_post"].score == 25
    # Shares in weeks 1 and 3 of 4; three weeks out of four scores 100.
    assert parts["steadiness"].value == 50.0
    assert parts["steadiness"].score == 67
    assert "2 of 4 weeks" in parts["steadiness"].display
    # Two of the three measured messages are under the default threshold (90 %).
    assert parts["personalisation"].score == round((2 / 3) / 0.8 * 100)
    assert "2 of 3 measured messages" in parts["personalisation"].display
    # Two logged contributions and one accepted suggestion; the yearly cap is prorated
    # but never below one.
    assert parts["contributions"].value == 3
    assert parts["contributions"].score == 100
    assert parts["conversions"].value == 1
    assert parts["conversions"].score == 100
    assert found.overall == round((25 + 67 + 83 + 100 + 100) / 5)
    assert all(part.definition for part in found.parts)


def test_the_organisation_threshold_decides_what_is_personal(figures, program, period) -> None:
    SharingSettings.objects.create(organisation=program.organisation, similarity_threshold=40)
    parts = _parts(influence(figures, program, *period))
    assert "1 of 3 measured messages" in parts["personalisation"].display


def test_follower_counts_do_not_change_the_indicator(figures, program, period) -> None:
    before = influence(figures, program, *period)
    DailyShareStats.objects.filter(person=figures).update(potential_reach=10_000_000)
    SocialAccount.objects.create(
        organisation=figures.organisation,
        person=figures,
        network="bluesky",
        remote_id="did:many",
        handle="@famous",
        audience=2_000_000,
    )
    after = influence(figures, program, *period)
    assert [(p.key, p.value, p.score) for p in after.parts] == [
        (p.key, p.value, p.score) for p in before.parts
    ]
    assert after.overall == before.overall


def test_nothing_shared_scores_zero_without_dividing_by_zero(persona, program, period) -> None:
    quiet = PersonFactory(organisation=persona.organisation)
    enrol(program, quiet)
    found = influence(quiet, program, *period)
    assert found.overall == 0
    assert all(part.score == 0 for part in found.parts)


def test_caps_scale_with_the_period(persona, program) -> None:
    """Over a year, one conversion is a twelfth of the cap, not the full score."""
    end = today()
    start = end - timedelta(days=364)
    me = persona.ambassador
    enrol(program, me)
    stats(me, program, end - timedelta(10), None, conversions=1)
    parts = _parts(influence(me, program, start, end))
    assert parts["conversions"].score == round(100 / indicator.CONVERSIONS_PER_YEAR_FOR_FULL_SCORE)


def test_my_figures_shows_the_indicator_and_its_parts(figures, program, client_for) -> None:
    page = client_for(figures).get("/me/figures/").content.decode()
    assert "My influence indicator" in page
    assert program.name in page
    for label in ("Engagement per post", "Steadiness", "Personalisation", "Own contributions"):
        assert label in page
    assert "never published as a ranking" in page


def test_how_we_count_states_the_caps_of_the_code(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/analytics/how-we-count/").content.decode()
    assert 'id="influence"' in page
    assert f"{indicator.ENGAGEMENT_PER_POST_FOR_FULL_SCORE} per post" in page
    assert f"{round(indicator.ACTIVE_WEEKS_SHARE_FOR_FULL_SCORE * 100)} % of the weeks" in page
    assert f"{round(indicator.PERSONAL_MESSAGES_SHARE_FOR_FULL_SCORE * 100)} % or more" in page
    assert f"{indicator.CONTRIBUTIONS_PER_YEAR_FOR_FULL_SCORE} a year" in page
    assert f"{indicator.CONVERSIONS_PER_YEAR_FOR_FULL_SCORE} a year" in page
