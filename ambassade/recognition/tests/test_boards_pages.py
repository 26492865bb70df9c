"""The boards' pages, through HTTP: /me/recognition/boards/ and /console/recognition/boards/."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from ambassade.core.models import AuditEvent
from ambassade.people.models import Person
from ambassade.recognition.models import Profile, RecognitionSettings
from ambassade.recognition.tests.boards_setup import choose, give, small_and_large, team
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db
MINE = "/me/recognition/boards/"
CONSOLE = "/console/recognition/boards/"


@pytest.fixture
def teams(program, enrolled):
    """The team of 5 and the team of 50; in the large one, a person with the most points
    who did not opt in (Zoé Discrète); the ambassador is a member who opted in."""
    small, large = small_and_large(program)
    hidden = large.people[10]
    hidden.first_name, hidden.last_name = "Zoé", "Discrète"
    hidden.save()
    give(hidden, 5_000)
    choose(enrolled, on_boards=True)
    give(enrolled, 45)
    return small, large, hidden


def _names(html: str, team_of) -> set[str]:
    return {person.full_name for person in team_of.people if person.full_name in html}


def test_a_person_who_did_not_opt_in_appears_nowhere_by_name(
    persona, client_for, teams, enrolled
) -> None:
    small, large, hidden = teams
    pages = [
        client_for(enrolled).get(MINE),
        client_for(enrolled).get(MINE + "?period=quarter"),
        client_for(persona.marketer).get(CONSOLE),
        client_for(persona.hr).get(CONSOLE + "?period=quarter"),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert hidden.full_name == "Zoé Discrète"
        assert "Discrète" not in html and "Zoé" not in html
        # Those who opted in are there: the first 2 of the small team, 3 of the large.
        assert _names(html, small) == {p.full_name for p in small.people[:2]}
        assert _names(html, large) == {p.full_name for p in large.people[:3]}
        assert enrolled.full_name in html


def test_the_team_of_5_and_the_team_of_50_show_the_same_score(client_for, program, persona) -> None:
    small_and_large(program)
    html = client_for(persona.marketer).get(CONSOLE).content.decode()
    rows = set(re.findall(r'<th scope="row">(\w+ team)</th><td>(\d+)</td><td>([\d.]+)</td>', html))
    assert rows == {("Small team", "5", "30.0"), ("Large team", "50", "30.0")}
    # One more point for each of the small team moves its average, not the large one's.
    for person in Person.objects.filter(department__name="Small team"):
        give(person, 1)
    html = client_for(persona.marketer).get(CONSOLE).content.decode()
    assert '<th scope="row">Small team</th><td>5</td><td>31.0</td>' in html


def test_bands_only_hides_every_ranking_but_shows_the_band(
    persona, client_for, teams, enrolled
) -> None:
    small, large, _hidden = teams
    enrolled.department = large.department
    enrolled.save()
    RecognitionSettings.objects.create(
        organisation=persona.organisation, boards=RecognitionSettings.Boards.BANDS
    )
    html = client_for(enrolled).get(MINE).content.decode()
    assert "45 points in this period." in html
    assert "You are in the top 10 %." in html  # 45 points: only Zoé is ahead, of 56
    assert "Below your team&#x27;s average." in html  # the large team's average is 128.3
    assert not _names(html, small) and not _names(html, large)
    assert "Small team" not in html and "Large team" not in html
    console = client_for(persona.marketer).get(CONSOLE).content.decode()
    assert "Small team" in console and "Bands only" in console


def test_opting_in_and_out_puts_the_name_on_the_boards_and_is_audited(
    persona, client_for, program, enrolled
) -> None:
    team(program, "Other team", 5, [10], opted_in=5)
    client = client_for(enrolled)
    assert enrolled.full_name not in client.get(MINE).content.decode()
    saved = client.post(MINE, {"on_boards": "on", "show_badges": "on"})
    assert saved.status_code == 302
    assert Profile.objects.get(person=enrolled).on_boards
    assert enrolled.full_name in client.get(MINE).content.decode()
    client.post(MINE, {"show_badges": "on"})
    assert enrolled.full_name not in client.get(MINE).content.decode()
    rows = AuditEvent.objects.filter(action="recognition.choices_changed", target_id=enrolled.pk)
    assert [row.after["on_boards"] for row in rows.order_by("pk")] == [True, False]


def test_a_bad_period_is_a_clear_400_not_a_500(client_for, persona, enrolled) -> None:
    for url, person in ((MINE, enrolled), (CONSOLE, persona.marketer)):
        page = client_for(person).get(url + "?period=year")
        assert page.status_code == 400
        html = page.content.decode()
        assert "Choose the period" in html and "Showing the last 30 days instead." in html


def test_the_working_group_sets_the_boards_and_the_executives(persona, client_for, program) -> None:
    chiefs = team(program, "Chiefs team", 6, [10], opted_in=6).people
    client = client_for(persona.marketer)
    saved = client.post(CONSOLE + "setting", {"boards": "bands"})
    assert saved.status_code == 302
    assert RecognitionSettings.objects.get(organisation=persona.organisation).boards == "bands"
    assert AuditEvent.objects.filter(action="recognition.settings_changed").count() == 1
    bad = client.post(CONSOLE + "setting", {"boards": "podium"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    put = client.post(CONSOLE + "executives", {"email": chiefs[0].email.upper()})
    assert put.status_code == 302 and Profile.objects.get(person=chiefs[0]).executive
    row = AuditEvent.objects.get(action="recognition.executive_set")
    assert row.target_id == str(chiefs[0].pk) and row.after == {"executive": True}
    html = client.get(CONSOLE).content.decode()
    assert "Take Chiefs0 Member off the executives" in html
    unknown = client.post(CONSOLE + "executives", {"email": persona.outsider.email})
    assert "Nobody of the organisation has this work e-mail." in unknown.content.decode()
    off = client.post(CONSOLE + "executives", {"email": chiefs[0].email, "executive": "no"})
    assert off.status_code == 302 and not Profile.objects.get(person=chiefs[0]).executive


def test_who_may_open_and_change_the_boards(persona, client_for, program) -> None:
    assert client_for(persona.employee).get(MINE).status_code == 200
    assert client_for(persona.ambassador).get(CONSOLE).status_code == 403
    sales = client_for(persona.sales)
    page = sales.get(CONSOLE).content.decode()
    assert "Put on the executives" not in page
    assert sales.post(CONSOLE + "setting", {"boards": "bands"}).status_code == 403
    assert sales.post(CONSOLE + "executives", {"email": "x@example.com"}).status_code == 403
    assert not RecognitionSettings.objects.exists()
    assert client_for(persona.outsider).get(CONSOLE).content.decode().count("Member") == 0


def test_the_pages_are_linked_from_me_and_the_console(persona, client_for) -> None:
    assert MINE in client_for(persona.ambassador).get("/me/").content.decode()
    # The console's one Recognition entry leads to the boards.
    assert "/console/recognition/" in client_for(persona.comms).get("/console/").content.decode()
    assert CONSOLE in client_for(persona.comms).get("/console/recognition/").content.decode()


def test_the_pages_read_in_french(persona, client_for, teams, enrolled, program) -> None:
    """Every board filled (an executive, a team too small), both periods, both spaces."""
    chief = team(program, "Tiny team", 2, [5], opted_in=2).people[0]
    choose(chief, on_boards=True, executive=True)
    enrolled.department = teams[1].department
    enrolled.save()
    reader = FrenchReader()
    problems: set[str] = set()
    for url, person in ((MINE, enrolled), (CONSOLE, persona.hr)):
        client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        for query in ("", "?period=quarter", "?period=year"):
            html = client.get(url + query).content.decode()
            assert "Classements" in html and "Dirigeants" in html
            problems |= reader.problems_in_page(url + query, html)
        if url == MINE:
            assert "Vous faites partie des 10 % les plus actifs." in html
            assert "En dessous de la moyenne de votre équipe." in html
        else:
            assert "1 équipe trop petite pour être affichée." in html
    assert problems == set()


def test_the_queries_do_not_grow_with_the_people(
    persona, client_for, teams, enrolled, django_assert_max_num_queries
) -> None:
    mine, console = client_for(enrolled), client_for(persona.marketer)
    with django_assert_max_num_queries(25):
        assert mine.get(MINE).status_code == 200
    with django_assert_max_num_queries(25):
        assert console.get(CONSOLE).status_code == 200
