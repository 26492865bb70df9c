"""Recognition tells people what concerns them: a reward request approved, sent or cancelled
by the team, a badge earned, a challenge completed. Each notice is in the person's language,
links to the right page, comes once even when its event is delivered again, and never
reaches someone who turned its kind off; the settings page lists the kinds in French."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from ambassade.core import events
from ambassade.core.authz import actor_for_person
from ambassade.core.models import DomainEvent, EventDelivery
from ambassade.notifications.models import Notification
from ambassade.recognition import campaigns, ledger, progress, rewards
from ambassade.recognition.models import Badge, Criterion, Reward, RuleKind
from ambassade.recognition.tests.campaign_fixtures import clicks, days, enrol, link, member
from ambassade.recognition.tests.rewards_helpers import give_points
from ambassade.sharing.tests.conftest import as_actor
from ambassade.testing.french import FrenchReader
from ambassade.webhooks.catalogue import TYPES_BY_EVENT, data_for

pytestmark = pytest.mark.django_db
QUEUE = "/console/recognition/rewards/queue"


def _speaks(person: Any, language: str) -> None:
    person.user.language = language
    person.user.save(update_fields=["language"])


def _notices(person: Any, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(person=person, kind=kind).order_by("pk"))


def _public_data(name: str) -> dict[str, Any]:
    """What the organisations' webhooks receive of the latest such event: every public field
    is in the payload."""
    event = DomainEvent.objects.filter(name=name).latest("pk")
    data = data_for(TYPES_BY_EVENT[name], event.payload)
    assert None not in data.values(), data
    return data


def _deliver_again(name: str) -> None:
    """The event's notice subscriber runs once more, as after a lost acknowledgement."""
    event = DomainEvent.objects.filter(name=name).latest("pk")
    delivery = EventDelivery.objects.get(event=event, subscriber__contains="recognition.notices")
    EventDelivery.objects.filter(pk=delivery.pk).update(status=EventDelivery.Status.PENDING)
    assert events.deliver(delivery.pk) != "done already"


def test_the_requester_is_told_of_each_decision_once_in_french(
    persona, enrolled, client_for, events_at_once, django_capture_on_commit_callbacks
) -> None:
    _speaks(enrolled, "fr")
    give_points(enrolled, 100)
    mug = Reward.objects.create(
        organisation=persona.organisation, name="Mug en grès", cost=30, stock=3
    )
    request = rewards.request_reward(as_actor(enrolled), mug)
    assert _notices(enrolled, "reward_request_decided") == []  # asking is not a decision
    comms = client_for(persona.comms)
    with django_capture_on_commit_callbacks(execute=True):
        comms.post(f"{QUEUE}/{request.pk}/approve", {"answer": "Taille M, en stock"})
    [approved] = _notices(enrolled, "reward_request_decided")
    assert approved.title == "Votre demande de récompense a été approuvée"
    assert "Mug en grès" in approved.body and "Taille M, en stock" in approved.body
    assert approved.url == "/me/recognition/rewards/"
    assert _notices(persona.comms, "reward_request_decided") == []

    with django_capture_on_commit_callbacks(execute=True):
        _deliver_again("recognition.reward_request_decided")
    assert len(_notices(enrolled, "reward_request_decided")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        comms.post(f"{QUEUE}/{request.pk}/send", {"shown": "approved"})
    titles = [notice.title for notice in _notices(enrolled, "reward_request_decided")]
    assert titles == [approved.title, "Votre récompense est en route"]
    bell = client_for(enrolled)
    bell.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Votre récompense est en route" in bell.get("/me/notifications/").content.decode()


def test_a_cancellation_by_the_team_returns_the_points_and_says_so(
    persona, enrolled, client_for, events_at_once, django_capture_on_commit_callbacks
) -> None:
    _speaks(enrolled, "en")
    give_points(enrolled, 100)
    mug = Reward.objects.create(organisation=persona.organisation, name="Mug", cost=30, stock=3)
    theirs = rewards.request_reward(as_actor(enrolled), mug)
    own = rewards.request_reward(as_actor(enrolled), mug)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(persona.comms).post(f"{QUEUE}/{theirs.pk}/cancel")
        rewards.cancel(as_actor(enrolled), own)  # the person knows: no notice
    [cancelled] = _notices(enrolled, "reward_request_decided")
    assert cancelled.title == "Your reward request was cancelled, your points are back"
    assert cancelled.body == "Mug: its 30 points are yours to spend again."
    assert ledger.balances(enrolled).spendable == 100
    assert DomainEvent.objects.filter(name="recognition.reward_request_decided").count() == 2
    assert _public_data("recognition.reward_request_decided")["status"] == "cancelled"


def test_an_earned_badge_is_told_and_a_kind_turned_off_tells_nothing(
    persona, program, client_for, events_at_once, django_capture_on_commit_callbacks
) -> None:
    Badge.objects.create(
        organisation=persona.organisation, name="Ma voix", criterion=Criterion.FIRST_PERSONAL_SHARE
    )
    ambassador, hr = persona.ambassador, persona.hr
    _speaks(ambassador, "en")
    with django_capture_on_commit_callbacks(execute=True):
        ledger.earn(ambassador, program, RuleKind.PERSONAL, key="personal:1")
        ledger.earn(ambassador, program, RuleKind.PERSONAL, key="personal:2")  # held already
    [earned] = _notices(ambassador, "badge_awarded")
    assert (earned.title, earned.url) == ("You earned the badge Ma voix", "/me/recognition/badges/")
    assert DomainEvent.objects.filter(name="recognition.badge_awarded").count() == 1
    assert _public_data("recognition.badge_awarded")["badge_name"] == "Ma voix"

    settings_page = client_for(hr)
    off = {"kinds": ["badge_awarded"], "quiet_start": "22:00", "quiet_end": "07:00"}
    answer = settings_page.post(
        "/me/notifications/settings/", off | {"daily_cap": 3, "weekly_cap": 9}
    )
    assert answer.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        ledger.earn(hr, program, RuleKind.PERSONAL, key="personal:hr")
    assert hr.badge_awards.count() == 1  # earned, and not told
    assert _notices(hr, "badge_awarded") == []


def test_a_completed_challenge_tells_each_rewarded_person(
    persona, program, item, events_at_once, django_capture_on_commit_callbacks
) -> None:
    alice = enrol(program, persona.ambassador)
    bob, carol = member(program), member(program)
    _speaks(alice, "fr")
    campaigns.create_challenge(
        actor_for_person(persona.hr),
        program,
        name="Trois clics chacun",
        scope="individual",
        target=3,
        points=20,
        **days(-2, 2),
    )
    clicks(link(alice, item), 3)
    clicks(link(bob, item), 4)
    clicks(link(carol, item), 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert progress.complete_challenges()["rewarded"] == 2
        progress.complete_challenges()  # a rerun rewards and tells nobody again
    for person in (alice, bob):
        [done] = _notices(person, "challenge_completed")
        assert done.title == "Défi réussi : 20 points"
        assert done.body == "Trois clics chacun : l’objectif est atteint, merci d’avoir participé."
        assert done.url == "/me/recognition/challenges/"
    assert _notices(carol, "challenge_completed") == []
    assert _public_data("recognition.challenge_completed")["points"] == 20


def test_the_settings_page_lists_the_kinds_in_french(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/me/notifications/settings/").content.decode()
    for name in (
        "Mes demandes de récompenses",
        "Un badge que j’ai obtenu",
        "Un défi que j’ai réussi",
    ):
        assert name in page
    for code in ("reward_request_decided", "badge_awarded", "challenge_completed"):
        assert f'id="kind-{code}"' in page
    assert not FrenchReader().problems_in_page("/me/notifications/settings/", page)
