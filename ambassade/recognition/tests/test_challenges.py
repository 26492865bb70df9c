"""A campaign with a collective challenge runs: the eligible people's human clicks reach the
target, the job grants the points once, bots, self-clicks and other departments do not
count; an individual challenge rewards each person at their own target; bad dates and
people without the right are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.recognition import campaigns, ledger, progress
from ambassade.recognition.models import (
    ChallengeCompletion,
    ChallengeScope,
    EntryReason,
    LedgerEntry,
)
from ambassade.recognition.tests.campaign_fixtures import (
    BOT,
    clicks,
    days,
    department,
    enrol,
    link,
    member,
)

pytestmark = pytest.mark.django_db


def campaign_of(persona, program, item):
    return campaigns.create_campaign(
        actor_for_person(persona.marketer),
        program,
        name="Salon Industrie Lyon",
        items=[item.pk],
        goal_human_clicks=10,
        goal_conversions=2,
        **days(-1, 5),
    )


def test_a_campaign_with_a_collective_challenge_runs(persona, program, item) -> None:
    rd, sales = department(program, "R&D"), department(program, "Ventes")
    alice = enrol(program, persona.ambassador, rd)
    bob, carol = member(program, rd), member(program, sales)
    campaign = campaign_of(persona, program, item)
    challenge = campaigns.create_challenge(
        actor_for_person(persona.marketer),
        program,
        name="200 clics pour la R&D",
        campaign=campaign.pk,
        target=5,
        points=50,
        eligible_departments=[rd.pk],
        **days(0, 3),
    )
    assert challenge.scope == ChallengeScope.COLLECTIVE
    alice_link, bob_link, carol_link = link(alice, item), link(bob, item), link(carol, item)
    clicks(alice_link, 3)
    clicks(alice_link, 20, agent=BOT)
    clicks(alice_link, 4, s=1)  # her own clicks on her link
    clicks(carol_link, 9)  # not of the R&D: does not count for the challenge
    clicks(bob_link, 1, day=days(-1, 0)["starts_on"])  # the day before the challenge

    assert progress.progress_of(challenge).total == 3
    assert progress.complete_challenges() == {"checked": 1, "rewarded": 0}
    assert not LedgerEntry.objects.filter(reason=EntryReason.CHALLENGE).exists()

    clicks(bob_link, 2)
    done = progress.progress_of(challenge)
    assert (done.total, done.by_person) == (5, {alice.pk: 3, bob.pk: 2})
    assert progress.complete_challenges()["rewarded"] == 2
    assert ledger.balances(alice).lifetime == 50
    assert ledger.balances(bob).lifetime == 50
    assert ledger.balances(carol).lifetime == 0
    challenge.refresh_from_db()
    assert challenge.completed_at is not None
    assert AuditEvent.objects.filter(action="recognition.challenge_completed").count() == 1

    # A rerun, with more clicks since, adds nothing.
    clicks(alice_link, 5)
    assert progress.complete_challenges() == {"checked": 0, "rewarded": 0}
    assert LedgerEntry.objects.filter(reason=EntryReason.CHALLENGE).count() == 2
    assert ChallengeCompletion.objects.filter(challenge=challenge).count() == 2

    # The campaign's own figures: every human click on its items during its days.
    figures = progress.campaign_figures(campaign)
    assert figures.human_clicks == 3 + 9 + 1 + 2 + 5
    assert figures.clicks_percent == 200


def test_an_individual_challenge_rewards_each_person_at_their_target(
    persona, program, item
) -> None:
    alice = enrol(program, persona.ambassador)
    bob = member(program)
    challenge = campaigns.create_challenge(
        actor_for_person(persona.hr),
        program,
        name="Trois clics chacun",
        scope=ChallengeScope.INDIVIDUAL,
        target=3,
        points=20,
        **days(-2, 2),
    )
    clicks(link(alice, item), 3)
    clicks(link(bob, item), 2)
    assert progress.complete_challenges()["rewarded"] == 1
    assert ledger.balances(alice).lifetime == 20
    assert ledger.balances(bob).lifetime == 0
    clicks(link(bob, item), 1)
    assert progress.complete_challenges()["rewarded"] == 1
    assert progress.complete_challenges()["rewarded"] == 0
    assert ledger.balances(bob).lifetime == 20
    assert ChallengeCompletion.objects.filter(challenge=challenge).count() == 2


def test_a_challenge_ending_before_it_starts_is_refused(persona, program, item) -> None:
    marketer = actor_for_person(persona.marketer)
    with pytest.raises(ValidationError) as refused:
        campaigns.create_challenge(marketer, program, name="À l'envers", target=5, **days(3, 1))
    assert refused.value.message_dict["ends_on"] == ["The end comes before the start."]
    campaign = campaign_of(persona, program, item)
    with pytest.raises(ValidationError) as outside:
        campaigns.create_challenge(
            marketer, program, name="Trop long", campaign=campaign, target=5, **days(0, 9)
        )
    assert "within the campaign's dates" in outside.value.message_dict["starts_on"][0]
    campaigns.create_challenge(
        marketer, program, name="Dedans", campaign=campaign, target=5, **days(2, 5)
    )
    with pytest.raises(ValidationError) as shrunk:
        campaigns.change_campaign(
            marketer, campaign, name=campaign.name, goal_human_clicks=10, **days(-1, 3)
        )
    assert "outside its dates" in shrunk.value.message_dict["ends_on"][0]
    campaign.refresh_from_db()
    assert campaign.ends_on == days(-1, 5)["ends_on"]
    with pytest.raises(ValidationError) as bad:
        campaigns.create_challenge(marketer, program, name=" ", target=0, **days(0, 1))
    assert set(bad.value.message_dict) == {"name", "target"}


def test_campaign_items_must_be_of_the_program(persona, program, item) -> None:
    from ambassade.programs.models import Program

    other = Program.objects.create(organisation=persona.organisation, name="Autre")
    with pytest.raises(ValidationError) as refused:
        campaigns.create_campaign(
            actor_for_person(persona.marketer),
            other,
            name="Mauvais contenu",
            items=[item.pk],
            goal_human_clicks=10,
            **days(0, 1),
        )
    assert "items" in refused.value.message_dict


def test_an_ambassador_or_another_organisation_cannot_create(persona, program, item) -> None:
    for who in (persona.ambassador, persona.sales, persona.outsider):
        with pytest.raises(PermissionDenied):
            campaigns.create_campaign(
                actor_for_person(who), program, name="Non", goal_human_clicks=5, **days(0, 1)
            )


def test_a_persons_challenges_in_their_export_and_erasure(persona, program, item) -> None:
    from ambassade.core.personal_data import anonymise, collect
    from ambassade.recognition import calendar
    from ambassade.recognition.models import CalendarFeed

    alice = enrol(program, persona.ambassador)
    campaigns.create_challenge(
        actor_for_person(persona.hr), program, name="Un clic", target=1, points=5, **days(0, 1)
    )
    clicks(link(alice, item), 1)
    progress.complete_challenges()
    calendar.create_feed(actor_for_person(persona.marketer), program)
    assert [row["challenge"] for row in collect(alice)["challenges"]["completed"]] == ["Un clic"]
    assert len(collect(persona.marketer)["challenges"]["calendar_addresses"]) == 1
    anonymise(alice)
    anonymise(persona.marketer)
    assert not ChallengeCompletion.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_a_challenge_under_way_shows_on_the_home_page_of_those_it_is_open_to(
    persona, program, item, client_for
) -> None:
    rd, sales = department(program, "R&D"), department(program, "Ventes")
    alice = enrol(program, persona.ambassador, rd)
    carol = enrol(program, persona.sales, sales)
    campaigns.create_challenge(
        actor_for_person(persona.marketer),
        program,
        name="200 clics pour la R&D",
        target=5,
        points=50,
        eligible_departments=[rd.pk],
        **days(0, 3),
    )
    clicks(link(alice, item), 3)
    home = reverse("people:home")
    page = client_for(alice).get(home).content.decode()
    assert "200 clics pour la R&amp;D" in page
    assert "Everyone together: 3 of 5. Mine: 3." in page
    assert "200 clics pour la R&amp;D" not in client_for(carol).get(home).content.decode()
