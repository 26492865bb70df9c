"""The person's weekly schedule of queue slots ("add to my queue")."""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.sharing.actions._common import own_person
from ambassade.sharing.models import QueueSlot

MAX_SLOTS = 50


def parse_times(text: str) -> list[time]:
    """'09:00, 17:30' -> [09:00, 17:30]; raises ValidationError naming the bad value."""
    found = []
    for part in text.replace(";", ",").split(","):
        value = part.strip()
        if not value:
            continue
        try:
            found.append(time.fromisoformat(value))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a time: write it like 09:30.") % {"value": value[:20]}
            ) from None
    return sorted(set(found))


@transaction.atomic
def set_queue_slots(actor: Actor, slots: dict[int, list[time]]) -> int:
    person = own_person(actor, "sharing.share")
    rows = [
        QueueSlot(person=person, weekday=day, at=at)
        for day, times in slots.items()
        if 0 <= day <= 6
        for at in times
    ]
    if len(rows) > MAX_SLOTS:
        raise ValidationError(_("At most %(count)d slots a week.") % {"count": MAX_SLOTS})
    QueueSlot.objects.filter(person=person).delete()
    QueueSlot.objects.bulk_create(rows)
    audit.record(
        "sharing.queue_changed",
        organisation=person.organisation,
        actor=actor,
        target=person,
        after={"slots": len(rows)},
    )
    return len(rows)
