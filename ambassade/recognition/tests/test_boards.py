"""The boards' reads: teams by average, opt-in names, executives apart, periods, bands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassade.analytics.models import AnalyticsSettings
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.recognition import boards
from ambassade.recognition.models import EntryReason
from ambassade.recognition.tests.boards_setup import choose, give, small_and_large, team

pytestmark = pytest.mark.django_db


def _now_window(program, period: str = "30d") -> boards.Window:
    return boards.window(program.organisation, period)


def test_a_team_of_5_and_a_team_of_50_with_the_same_activity_score_the_same(program) -> None:
    small, large = small_and_large(program)
    found = boards.boards(program.organisation, _now_window(program))
    scores = {line.name: (line.average, line.members) for line in found.teams}
    assert scores == {"Small team": (Decimal("30.0"), 5), "Large team": (Decimal("30.0"), 50)}
    assert found.teams[0].rank == found.teams[1].rank == 1
    span = _now_window(program)
    members = {m.person_id: m.points for m in boards.members_of(program.organisation, span)}
    totals = [sum(members[p.pk] for p in group.people) for group in (small, large)]
    assert totals == [150, 1500]  # the totals differ tenfold, the scores do not


def test_members_without_points_lower_their_teams_average(program) -> None:
    team(program, "Quiet team", 6, [60, 0])
    team(program, "Busy team", 5, [40])
    found = boards.boards(program.organisation, _now_window(program))
    assert [(t.rank, t.name, t.average) for t in found.teams] == [
        (1, "Busy team", Decimal("40.0")),
        (2, "Quiet team", Decimal("30.0")),
    ]


def test_a_team_under_the_smallest_group_is_not_shown(program) -> None:
    team(program, "Tiny team", 4, [500], opted_in=4)
    team(program, "Normal team", 5, [10])
    found = boards.boards(program.organisation, _now_window(program))
    assert [t.name for t in found.teams] == ["Normal team"]
    assert found.too_small == 1
    AnalyticsSettings.objects.create(organisation=program.organisation, small_group=6)
    again = boards.boards(program.organisation, _now_window(program))
    assert again.teams == [] and again.too_small == 2


def test_only_people_who_opted_in_are_named_most_points_first(program) -> None:
    named = team(program, "Sales team", 5, [10, 50, 30], opted_in=3)
    hidden = named.people[3]
    give(hidden, 1_000)
    found = boards.boards(program.organisation, _now_window(program))
    assert [(line.rank, line.name, line.points) for line in found.people] == [
        (1, "Sales1 Member", 50),
        (2, "Sales2 Member", 30),
        (3, "Sales0 Member", 10),
    ]
    assert hidden.pk not in {line.person_id for line in found.people}
    assert found.opted_in == 3


def test_executives_are_only_on_their_own_board_and_in_no_team(program) -> None:
    found_team = team(program, "Board team", 6, [10], opted_in=6)
    boss = found_team.people[0]
    choose(boss, on_boards=True, executive=True)
    give(boss, 900)
    found = boards.boards(program.organisation, _now_window(program))
    assert [line.person_id for line in found.executives] == [boss.pk]
    assert boss.pk not in {line.person_id for line in found.people}
    assert [(t.name, t.members, t.average) for t in found.teams] == [
        ("Board team", 5, Decimal("10.0"))
    ]


def test_spends_and_other_organisations_do_not_count(program, persona) -> None:
    found_team = team(program, "Spend team", 5, [10], opted_in=1)
    # Whatever points a spend or a return carries, they are not earned points.
    give(found_team.people[0], 40, reason=EntryReason.REWARD, spendable=-10)
    give(found_team.people[0], 40, reason=EntryReason.REWARD_RETURNED, spendable=10)
    give(persona.outsider, 999)
    found = boards.boards(program.organisation, _now_window(program))
    assert [(line.name, line.points) for line in found.people] == [("Spend0 Member", 10)]
    # A correction counts, but takes a person down to 0 on a board, not below.
    give(found_team.people[0], -4, reason=EntryReason.CORRECTION)
    assert boards.boards(program.organisation, _now_window(program)).people[0].points == 6
    give(found_team.people[0], -40, reason=EntryReason.CORRECTION)
    assert boards.boards(program.organisation, _now_window(program)).people[0].points == 0


def test_the_quarter_resets_and_30_days_roll(program) -> None:
    person = team(program, "Quarter team", 5, [0], opted_in=1).people[0]
    organisation = program.organisation
    organisation.time_zone = "UTC"
    now = datetime(2026, 4, 10, 12, tzinfo=UTC)
    quarter = boards.window(organisation, "quarter", now)
    assert quarter.start == datetime(2026, 4, 1, tzinfo=UTC)
    give(person, 7, at=datetime(2026, 3, 31, 23, tzinfo=UTC))  # last quarter
    give(person, 5, at=datetime(2026, 4, 2, tzinfo=UTC))
    rolling = boards.window(organisation, "30d", now)
    assert boards.boards(organisation, quarter).people[0].points == 5
    assert boards.boards(organisation, rolling).people[0].points == 12
    give(person, 100, at=now - timedelta(days=31))
    assert boards.boards(organisation, rolling).people[0].points == 12


def test_the_quarter_starts_in_the_organisations_time_zone(program) -> None:
    organisation = program.organisation
    organisation.time_zone = "Europe/Paris"
    start = boards.window(organisation, "quarter", datetime(2026, 10, 5, tzinfo=UTC)).start
    assert start == datetime(2026, 9, 30, 22, tzinfo=UTC)


def test_a_bad_period_is_refused_with_a_clear_message() -> None:
    assert boards.parse_period(None) == "30d"
    assert boards.parse_period("quarter") == "quarter"
    with pytest.raises(ValidationError) as error:
        boards.parse_period("year")
    assert "30d" in error.value.message_dict["period"][0]


def test_bands_place_everyone_whether_or_not_they_opted_in(program) -> None:
    people = team(program, "Band team", 20, list(range(20, 0, -1))).people
    span = _now_window(program)
    first, second, sixth, last = people[0], people[1], people[5], people[19]
    assert boards.band_of(first, span).percentile == 10
    assert boards.band_of(second, span).percentile == 10
    assert boards.band_of(people[2], span).percentile == 25
    assert boards.band_of(sixth, span).percentile == 50
    assert boards.band_of(last, span).percentile == 100
    average = boards.band_of(first, span).team_average
    assert average == Decimal("10.5")
    assert boards.band_of(first, span).team == "above"
    assert boards.band_of(people[10], span).team == "on_par"  # 10 points
    assert boards.band_of(last, span).team == "below"
    assert "top 10 %" in " ".join(boards.band_of(first, span).sentences())


def test_with_no_points_a_kind_message_and_no_band(program) -> None:
    people = team(program, "Zero team", 5, [10, 10, 10, 10, 0]).people
    band = boards.band_of(people[4], _now_window(program))
    assert band.percentile is None and band.points == 0
    assert band.sentences() == ["No points in this period yet: one share is enough to get started."]


def test_a_small_group_gives_no_band_and_a_non_member_is_told_why(program, persona) -> None:
    people = team(program, "Few team", 4, [10]).people
    band = boards.band_of(people[0], _now_window(program))
    assert band.member and band.percentile is None and band.team == ""
    outside = boards.band_of(persona.employee, _now_window(program))
    assert not outside.member and "join" in outside.sentences()[0]


def test_an_executive_is_compared_with_executives_only(program) -> None:
    team(program, "Crowd team", 10, [100])
    chiefs = team(program, "Chiefs team", 5, [1, 2, 3, 4, 5]).people
    for chief in chiefs:
        choose(chief, executive=True)
    band = boards.band_of(chiefs[4], _now_window(program))
    assert band.percentile == 10 and band.team == ""


def test_ended_enrolments_and_anonymised_people_are_not_members(program) -> None:
    people = team(program, "Leaving team", 5, [10], opted_in=5).people
    Enrolment.objects.filter(person=people[0]).update(status=Enrolment.Status.ENDED)
    Person.objects.filter(pk=people[1].pk).update(anonymised_at=timezone.now())
    found = boards.boards(program.organisation, _now_window(program))
    assert len(found.people) == 3 and found.teams == [] and found.too_small == 1
