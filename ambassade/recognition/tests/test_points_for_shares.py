"""A share earns points once per person and item; a message in one's own words earns the
personal bonus, a copy of the suggestion the base at most; a redelivered event adds
nothing; a correction is a new, audited entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ambassade.core import events
from ambassade.core.models import AuditEvent, DomainEvent, EventDelivery
from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, LedgerEntry
from ambassade.sharing import actions, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.tests.conftest import PERSONAL, as_actor

pytestmark = pytest.mark.django_db

COPY = "Verdier recrute vingt ingénieurs à Lyon : rejoignez une équipe formidable !"


def _share(person, item, account, message, capture, **options):
    with capture(execute=True):
        share = actions.create_share(
            as_actor(person), item, message, [TargetRequest(account_id=account.pk)], **options
        )
    target = share.targets.get()
    with capture(execute=True):
        outcome = publishing.publish(target.pk)  # already published when it was due at once
    target.refresh_from_db()
    assert target.status == "published", outcome
    return share


def test_a_personal_share_earns_more_than_a_copy(
    persona,
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    events_at_once,
    django_capture_on_commit_callbacks,
) -> None:
    _share(enrolled, item, account, PERSONAL, django_capture_on_commit_callbacks)
    reasons = sorted(LedgerEntry.objects.filter(person=enrolled).values_list("reason", "points"))
    assert reasons == [(EntryReason.PERSONAL, 10), (EntryReason.SHARE, 10)]
    assert ledger.balances(enrolled) == ledger.Balances(20, 20)

    no_quiet_hours.stagger_minutes = 0  # colleagues' posts of one item are spaced otherwise
    no_quiet_hours.save()
    other = persona.marketer
    other.enrolments.create(
        program=item.program,
        ambassador_type=enrolled.enrolments.get().ambassador_type,
        status="active",
    )
    account.pk = None
    account.person = other
    account.remote_id = "fake-2"
    account.save()
    _share(other, item, account, COPY, django_capture_on_commit_callbacks, accept_similar=True)
    assert ledger.balances(other).lifetime == 10
    assert list(LedgerEntry.objects.filter(person=other).values_list("reason", flat=True)) == [
        EntryReason.SHARE
    ]


def test_a_redelivered_event_adds_nothing(
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    events_at_once,
    django_capture_on_commit_callbacks,
) -> None:
    _share(enrolled, item, account, PERSONAL, django_capture_on_commit_callbacks)
    delivery = EventDelivery.objects.get(
        event__name="sharing.share_published",
        subscriber="ambassade.recognition.subscribers.points_for_a_share",
    )
    EventDelivery.objects.filter(pk=delivery.pk).update(status=EventDelivery.Status.PENDING)
    assert events.deliver(delivery.pk) == "delivered"
    assert LedgerEntry.objects.filter(person=enrolled).count() == 2
    assert DomainEvent.objects.filter(name="sharing.share_published").count() == 1


def test_a_correction_is_a_new_audited_entry(
    persona,
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    events_at_once,
    django_capture_on_commit_callbacks,
) -> None:
    _share(enrolled, item, account, PERSONAL, django_capture_on_commit_callbacks)
    first = LedgerEntry.objects.filter(person=enrolled).order_by("pk").first()
    with pytest.raises(ValidationError) as refused:
        ledger.correct(as_actor(persona.hr), enrolled, 0, "")
    assert set(refused.value.message_dict) == {"points", "note"}
    entry = ledger.correct(
        as_actor(persona.hr), enrolled, -10, "Clicks from a script", corrects=first
    )
    assert entry.reason == EntryReason.CORRECTION
    assert ledger.balances(enrolled) == ledger.Balances(10, 10)
    assert LedgerEntry.objects.get(pk=first.pk).points == 10  # never edited
    assert AuditEvent.objects.filter(action="recognition.points_corrected").count() == 1
