"""Every write of the digest: a person's settings, the one-click unsubscribe, and the
job's claims (a DigestSent row inserted before its mail is sent)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, actor_for_person, allowed
from ambassade.digests import selectors
from ambassade.digests.models import DigestSent, DigestSubscription, Frequency
from ambassade.people.models import Person

logger = logging.getLogger(__name__)
BATCH_SIZE = 200


def _person(actor: Actor) -> Person:
    if not allowed(actor, "digest.manage_own") or actor.person is None:
        raise PermissionDenied
    return actor.person


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    frequency = values.get("frequency")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often: never, every day or every week.")
    weekday = values.get("weekday")
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        errors["weekday"] = _("Choose a day of the week.")
    hour = values.get("hour")
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        errors["hour"] = _("Choose an hour from 0 to 23.")
    if errors:
        raise ValidationError(errors)
    return {"frequency": frequency, "weekday": weekday, "hour": hour}


def _snapshot(subscription: DigestSubscription) -> dict[str, Any]:
    return {
        "frequency": subscription.frequency,
        "weekday": subscription.weekday,
        "hour": subscription.hour,
        "unsubscribed": subscription.unsubscribed_at is not None,
    }


def save_settings(actor: Actor, values: dict[str, Any]) -> DigestSubscription:
    """How often, which day and hour; choosing a frequency again undoes an unsubscribe."""
    person = _person(actor)
    cleaned = _clean(values)
    with transaction.atomic():
        subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(
            person=person
        )
        before = _snapshot(subscription)
        subscription.frequency = cleaned["frequency"]
        subscription.weekday = cleaned["weekday"]
        subscription.hour = cleaned["hour"]
        subscription.unsubscribed_at = None
        subscription.save()
        audit.record(
            "digest.settings",
            organisation=person.organisation,
            actor=actor,
            target=subscription,
            before=before,
            after=_snapshot(subscription),
        )
    return subscription


def unsubscribe(token: str) -> DigestSubscription | None:
    """The one-click unsubscribe (RFC 8058): the token alone stands for the person."""
    with transaction.atomic():
        subscription = (
            # Only this row is locked: the person's user is on the nullable side of a join.
            DigestSubscription.objects.select_for_update(of=("self",))
            .select_related("person__organisation", "person__user")
            .filter(unsubscribe_token=token)
            .first()
        )
        if subscription is None:
            return None
        if subscription.unsubscribed_at is None:
            before = _snapshot(subscription)
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at", "updated_at"])
            person = subscription.person
            audit.record(
                "digest.unsubscribe",
                organisation=person.organisation,
                actor=actor_for_person(person),
                target=subscription,
                before=before,
                after=_snapshot(subscription),
            )
    return subscription


def claim_due(now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Claims the digests due at ``now``, a batch per transaction; each batch is sent by
    a task once its claims are committed. Returns how many digests were claimed."""
    from ambassade.digests import tasks

    claimed = 0
    batch: list[selectors.Due] = []
    for due in selectors.due_now(now):
        batch.append(due)
        if len(batch) >= batch_size:
            claimed += _claim_batch(batch, now, tasks.send_digests)
            batch = []
    if batch:
        claimed += _claim_batch(batch, now, tasks.send_digests)
    return claimed


def _claim_batch(batch: list[selectors.Due], now: datetime, sender: Any) -> int:
    people = Person.objects.select_related("organisation").in_bulk([due.person_id for due in batch])
    last = selectors.last_claims(list(people))
    claim = uuid.uuid4().hex
    rows = []
    for due in batch:
        person = people.get(due.person_id)
        if person is None:
            continue
        since = last.get(person.pk, now - due.period.length)
        items = selectors.new_items(person, since)
        if not items:
            continue  # nothing new: no digest at all (asked again at the next run)
        rows.append(
            DigestSent(
                person=person,
                period=due.period.key,
                claimed_at=now,
                claim=claim,
                item_ids=[item.pk for item in items],
            )
        )
    if not rows:
        return 0
    with transaction.atomic():
        # The people without a saved row get one now: the mail needs their token.
        DigestSubscription.objects.bulk_create(
            [DigestSubscription(person_id=row.person_id) for row in rows], ignore_conflicts=True
        )
        # Insert or skip: a period another run already claimed stays theirs.
        DigestSent.objects.bulk_create(rows, ignore_conflicts=True)
        mine = list(DigestSent.objects.filter(claim=claim).values_list("pk", flat=True))
        if mine:
            transaction.on_commit(lambda: sender.enqueue(mine))
    return len(mine)


def take(sent_id: int) -> bool:
    """Marks one claimed digest as sent, just before sending it; False when another
    worker already did (one UPDATE decides, in its own transaction)."""
    return bool(
        DigestSent.objects.filter(pk=sent_id, sent_at__isnull=True).update(sent_at=timezone.now())
    )


def give_back(sent_id: int) -> None:
    """The SMTP server refused the mail: the row says so (not sent), for the record."""
    DigestSent.objects.filter(pk=sent_id).update(sent_at=None)


def recent_cutoff(now: datetime) -> datetime:
    """Claims older than this are never sent any more (a worker lost them)."""
    return now - timedelta(days=1)
