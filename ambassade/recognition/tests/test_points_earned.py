"""Points beyond shares: a suggestion accepted, a module passed, a contribution logged,
human clicks by milestones and conversions; each once, within the rule's daily cap."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ambassade.content import suggestion_actions
from ambassade.content.selectors import content_settings
from ambassade.contributions import actions as contributions
from ambassade.core import events
from ambassade.core.models import EventDelivery
from ambassade.learning.tests.conftest import make_module, pass_module
from ambassade.programs.actions import ensure_default_types
from ambassade.recognition import ledger, tracking_points
from ambassade.recognition.models import EntryReason, LedgerEntry
from ambassade.sharing.tests.conftest import as_actor
from ambassade.tracking.models import Click, Conversion, TrackedLink

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)


def _redeliver(subscriber: str) -> None:
    delivery = EventDelivery.objects.get(subscriber=f"ambassade.recognition.earning.{subscriber}")
    EventDelivery.objects.filter(pk=delivery.pk).update(status=EventDelivery.Status.PENDING)
    assert events.deliver(delivery.pk) == "delivered"


def _reasons(person) -> list[tuple[str, int]]:
    return sorted(LedgerEntry.objects.filter(person=person).values_list("reason", "points"))


def test_an_accepted_suggestion_earns_once(
    persona, enrolled, program, events_at_once, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        declined = suggestion_actions.submit_suggestion(
            as_actor(enrolled), url="https://verdier.example/a", note="Bof"
        )
        suggestion_actions.moderate(as_actor(persona.marketer), declined, accept=False)
    assert _reasons(enrolled) == []
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = suggestion_actions.submit_suggestion(
            as_actor(enrolled), url="https://verdier.example/b", note="À partager"
        )
        suggestion_actions.moderate(
            as_actor(persona.marketer), suggestion, accept=True, program_id=program.pk
        )
    assert _reasons(enrolled) == [(EntryReason.SUGGESTION, 15)]
    assert LedgerEntry.objects.get(person=enrolled).program == program
    EventDelivery.objects.filter(subscriber__endswith="points_for_a_suggestion").exclude(
        event__payload__accepted=True
    ).delete()
    _redeliver("points_for_a_suggestion")
    assert _reasons(enrolled) == [(EntryReason.SUGGESTION, 15)]


def test_a_trusted_authors_suggestion_published_directly_earns_too(
    persona, enrolled, program, events_at_once, django_capture_on_commit_callbacks
) -> None:
    settings = content_settings(persona.organisation)
    settings.trusted_after = 1
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = suggestion_actions.submit_suggestion(
            as_actor(enrolled), url="https://verdier.example/c", note="Première"
        )
        suggestion_actions.moderate(
            as_actor(persona.marketer), first, accept=True, program_id=program.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = suggestion_actions.submit_suggestion(
            as_actor(enrolled), url="https://verdier.example/d", note="Publiée directement"
        )
    second.refresh_from_db()
    assert second.state == "accepted" and second.item.status == "published"
    assert _reasons(enrolled) == [(EntryReason.SUGGESTION, 15)] * 2
    keys = set(LedgerEntry.objects.filter(person=enrolled).values_list("key", flat=True))
    assert keys == {f"suggestion:{first.pk}", f"suggestion:{second.pk}"}


def test_a_module_passed_earns_once_even_passed_again(
    persona, enrolled, program, events_at_once, django_capture_on_commit_callbacks
) -> None:
    ensure_default_types(persona.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        module = make_module(persona.hr)
    with django_capture_on_commit_callbacks(execute=True):
        pass_module(enrolled, module)
    assert _reasons(enrolled) == [(EntryReason.MODULE, 10)]
    entry = LedgerEntry.objects.get(person=enrolled)
    assert entry.detail["module"] == module.title_fr
    _redeliver("points_for_a_module")
    with django_capture_on_commit_callbacks(execute=True):
        pass_module(enrolled, module)
    assert _reasons(enrolled) == [(EntryReason.MODULE, 10)]


def _log(person, program, title: str, capture) -> None:
    with capture(execute=True):
        contributions.add_contribution(
            as_actor(person),
            kind="talk",
            title=title,
            occurred_on=date.today() - timedelta(days=1),
            program_id=program.pk,
        )


def test_a_contribution_earns_once_and_the_daily_cap_holds(
    enrolled, program, events_at_once, django_capture_on_commit_callbacks
) -> None:
    _log(enrolled, program, "Conférence à l'INSA", django_capture_on_commit_callbacks)
    assert _reasons(enrolled) == [(EntryReason.CONTRIBUTION, 15)]
    _redeliver("points_for_a_contribution")
    assert _reasons(enrolled) == [(EntryReason.CONTRIBUTION, 15)]
    for number in range(2, 6):
        _log(enrolled, program, f"Conférence {number}", django_capture_on_commit_callbacks)
    # The rule's cap: three a day, whatever was logged.
    assert _reasons(enrolled) == [(EntryReason.CONTRIBUTION, 15)] * 3
    assert ledger.balances(enrolled) == ledger.Balances(45, 45)


def _link(person, item) -> TrackedLink:
    return TrackedLink.objects.create(
        organisation=person.organisation,
        code=f"p{next(_codes):07d}",
        destination=item.url,
        person=person,
        network="linkedin",
        content_item_id=item.pk,
    )


def _clicks(link: TrackedLink, count: int, *, human: bool, **flags: bool) -> None:
    now = timezone.now()
    Click.objects.bulk_create(
        Click(
            organisation=link.organisation,
            link=link,
            time=now,
            day=now.date(),
            network=link.network,
            is_human=human,
            **flags,
        )
        for _ in range(count)
    )


def test_human_clicks_earn_by_milestones_and_nothing_else_counts(enrolled, item) -> None:
    link = _link(enrolled, item)
    _clicks(link, 30, human=False, is_bot=True)
    _clicks(link, 30, human=False, is_preview=True)
    # Flagged as human by mistake, the person's own clicks and a flood still never count.
    _clicks(link, 30, human=True, is_self=True)
    _clicks(link, 30, human=True, is_flood=True)
    _clicks(link, 9, human=True)
    assert tracking_points.earn_for_links()["links"] == 0
    assert _reasons(enrolled) == []

    _clicks(link, 1, human=True)  # the tenth human click: the first milestone
    assert tracking_points.earn_for_links()["links"] == 1
    assert _reasons(enrolled) == [(EntryReason.CLICKS, 5)]
    assert LedgerEntry.objects.get(person=enrolled).detail["clicks"] == 10
    tracking_points.earn_for_links()  # a rerun adds nothing
    assert _reasons(enrolled) == [(EntryReason.CLICKS, 5)]

    _clicks(link, 25, human=True)  # 35 clicks: two more milestones, in one entry
    tracking_points.earn_for_links()
    tracking_points.earn_for_links()
    assert _reasons(enrolled) == [(EntryReason.CLICKS, 5), (EntryReason.CLICKS, 10)]
    assert ledger.balances(enrolled).lifetime == 15


def test_someone_elses_link_earns_them_nothing_for_my_clicks(persona, enrolled, item) -> None:
    link = _link(persona.marketer, item)
    _clicks(link, 10, human=True)
    tracking_points.earn_for_links()
    assert _reasons(enrolled) == []
    assert _reasons(persona.marketer) == [(EntryReason.CLICKS, 5)]


def test_a_conversion_earns_once(enrolled, item) -> None:
    link = _link(enrolled, item)
    for kind in ("application", "lead"):
        Conversion.objects.create(
            organisation=link.organisation,
            link=link,
            person=enrolled,
            network=link.network,
            content_item_id=item.pk,
            kind=kind,
            idempotency_key=f"k{next(_codes)}",
            source="api",
            occurred_at=timezone.now(),
        )
    assert tracking_points.earn_for_links()["conversions"] == 2
    assert tracking_points.earn_for_links()["conversions"] == 0
    assert _reasons(enrolled) == [(EntryReason.CONVERSION, 20)] * 2


def test_the_clicks_cap_holds_across_links(enrolled, item) -> None:
    rule = ledger.rules_of(item.program)["clicks"]
    rule.daily_cap = 1
    rule.save()
    first, second = _link(enrolled, item), _link(enrolled, item)
    _clicks(first, 10, human=True)
    _clicks(second, 10, human=True)
    tracking_points.earn_for_links()
    tracking_points.earn_for_links()
    assert _reasons(enrolled) == [(EntryReason.CLICKS, 5)]


def test_the_command_earns_like_the_job(enrolled, item) -> None:
    from io import StringIO

    from django.core.management import call_command

    _clicks(_link(enrolled, item), 10, human=True)
    out = StringIO()
    call_command("earn_for_links", stdout=out)
    assert out.getvalue().startswith("1 links and 0 conversions")
    call_command("earn_for_links", stdout=StringIO())
    assert _reasons(enrolled) == [(EntryReason.CLICKS, 5)]
