"""Badges are awarded from the ledger as entries arrive: a first personalised share once,
ten shares in 90 days at the tenth (older shares do not count), never a retired badge; a
completed training path through the module-passed event; the periodic job catches up on
a badge created after the entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.learning.tests.conftest import enrol, make_module, pass_module
from ambassade.programs.actions import ensure_default_types
from ambassade.recognition import badges, ledger
from ambassade.recognition.models import Badge, BadgeAward, Criterion, RuleKind
from ambassade.recognition.tasks import award_badges_to_recent_earners

pytestmark = pytest.mark.django_db


def _badge(organisation, criterion, threshold=1, **values) -> Badge:
    return Badge.objects.create(
        organisation=organisation,
        name=values.pop("name", f"{criterion} {threshold}"),
        criterion=criterion,
        threshold=threshold,
        **values,
    )


def _held(person) -> list[str]:
    return sorted(BadgeAward.objects.filter(person=person).values_list("badge__name", flat=True))


def _share_on(person, program, days_ago: int, number: int) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    entry = ledger.earn(person, program, RuleKind.SHARE, key=f"share:{number}", at=at)
    assert entry is not None  # one a day: no daily cap in the way


def test_a_first_personal_share_awards_its_badge_once(persona, program) -> None:
    _badge(persona.organisation, Criterion.FIRST_PERSONAL_SHARE, name="Ma voix")
    person = persona.ambassador
    ledger.earn(person, program, RuleKind.SHARE, key="share:1")
    assert _held(person) == []  # a copy is not a personalised share
    ledger.earn(person, program, RuleKind.PERSONAL, key="personal:1")
    assert _held(person) == ["Ma voix"]
    ledger.earn(person, program, RuleKind.PERSONAL, key="personal:2")
    assert badges.award_due(person) == []
    assert BadgeAward.objects.filter(person=person).count() == 1
    assert _held(persona.marketer) == []


def test_ten_shares_in_90_days_award_at_the_tenth_not_the_ninth(persona, program) -> None:
    _badge(persona.organisation, Criterion.SHARES_IN_90_DAYS, threshold=10, name="Dix")
    person = persona.ambassador
    _share_on(person, program, days_ago=120, number=0)  # too old to count
    for number in range(1, 10):
        _share_on(person, program, days_ago=number * 8, number=number)
    assert _held(person) == []  # nine recent shares, and one from four months ago
    _share_on(person, program, days_ago=85, number=10)
    assert _held(person) == ["Dix"]


def test_a_retired_badge_is_not_awarded(persona, program) -> None:
    _badge(persona.organisation, Criterion.FIRST_CONVERSION, name="Retirée", active=False)
    _badge(persona.organisation, Criterion.FIRST_CONVERSION, name="Active")
    ledger.earn(persona.ambassador, program, RuleKind.CONVERSION, key="conversion:1")
    assert _held(persona.ambassador) == ["Active"]


def test_another_organisations_badge_is_not_awarded(persona, program) -> None:
    _badge(persona.outsider.organisation, Criterion.FIRST_PERSONAL_SHARE, name="Ailleurs")
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1")
    assert _held(persona.ambassador) == []


def test_a_completed_path_awards_the_training_badge(
    persona, events_at_once, django_capture_on_commit_callbacks
) -> None:
    from ambassade.programs.models import Program

    ensure_default_types(persona.organisation)
    training = Program.objects.create(organisation=persona.organisation, name="Formation")
    enrol(training, persona.ambassador)
    first = make_module(persona.hr)
    second = make_module(persona.hr)  # the same rules, a second required module
    _badge(persona.organisation, Criterion.PATH_COMPLETED, name="Diplômé")
    with django_capture_on_commit_callbacks(execute=True):
        pass_module(persona.ambassador, first)
    assert _held(persona.ambassador) == []  # one required module still to pass
    with django_capture_on_commit_callbacks(execute=True):
        pass_module(persona.ambassador, second)
    assert _held(persona.ambassador) == ["Diplômé"]


def test_the_periodic_job_awards_a_badge_created_after_the_entries(persona, program) -> None:
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1")
    ledger.earn(
        persona.marketer,
        program,
        RuleKind.PERSONAL,
        key="personal:2",
        at=timezone.now() - timedelta(days=3),
    )
    _badge(persona.organisation, Criterion.FIRST_PERSONAL_SHARE, name="Tardive")
    assert _held(persona.ambassador) == []
    assert award_badges_to_recent_earners.call() == 1  # only yesterday's earners
    assert _held(persona.ambassador) == ["Tardive"]
    assert _held(persona.marketer) == []


def test_badges_are_exported_then_forgotten(persona, program) -> None:
    from ambassade.core import personal_data

    _badge(persona.organisation, Criterion.FIRST_PERSONAL_SHARE, name="Ma voix")
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1")
    exported = personal_data.collect(persona.ambassador)["badges"]
    assert [earned["badge"] for earned in exported["earned"]] == ["Ma voix"]
    assert exported["shown_to_colleagues"] is True
    personal_data.anonymise(persona.ambassador)
    assert not BadgeAward.objects.exists()


def test_a_new_badge_reaches_those_who_already_qualify(
    persona, program, events_at_once, django_capture_on_commit_callbacks
) -> None:
    from ambassade.recognition import badge_actions
    from ambassade.sharing.tests.conftest import as_actor

    long_ago = timezone.now() - timedelta(days=40)
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1", at=long_ago)
    ledger.earn(persona.ambassador, program, RuleKind.SHARE, key="share:1", at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        badge_actions.create_badge(
            as_actor(persona.marketer),
            name="Ma voix",
            criterion=Criterion.FIRST_PERSONAL_SHARE,
        )
        badge_actions.create_badge(
            as_actor(persona.marketer),
            name="Deux",
            criterion=Criterion.SHARES_IN_90_DAYS,
            threshold=2,
        )
    assert _held(persona.ambassador) == ["Ma voix"]
    two = Badge.objects.get(name="Deux")
    with django_capture_on_commit_callbacks(execute=True):
        badge_actions.change_badge(as_actor(persona.marketer), two, threshold=1)
    assert _held(persona.ambassador) == ["Deux", "Ma voix"]


def test_a_real_personal_share_brings_the_badge_with_its_points(
    persona,
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    events_at_once,
    django_capture_on_commit_callbacks,
) -> None:
    from ambassade.recognition.tests.test_points_for_shares import _share
    from ambassade.sharing.tests.conftest import PERSONAL

    _badge(persona.organisation, Criterion.FIRST_PERSONAL_SHARE, name="Ma voix")
    _share(enrolled, item, account, PERSONAL, django_capture_on_commit_callbacks)
    award = BadgeAward.objects.get(person=enrolled)
    personal = enrolled.ledger_entries.get(reason="personal")
    assert award.badge.name == "Ma voix" and award.awarded_at >= personal.created_at
