"""How noisy each kind is, over 30 days: sent, read in the app, and who turned it off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ambassade.core.models import Organisation
from ambassade.notifications import kinds
from ambassade.notifications.models import Notification, Preference
from ambassade.people.models import Person

DAYS = 30


@dataclass(frozen=True)
class KindFigures:
    kind: kinds.Kind
    sent: int
    read: int
    turned_off: int
    people: int

    @property
    def read_share(self) -> int | None:
        return round(100 * self.read / self.sent) if self.sent else None

    @property
    def off_share(self) -> int | None:
        return round(100 * self.turned_off / self.people) if self.people else None


def by_kind(organisation: Organisation) -> list[KindFigures]:
    """Three queries, whatever the number of kinds. "Turned off": people who switched off
    at least one channel of the kind, among those who can sign in."""
    since = timezone.now() - timedelta(days=DAYS)
    counts: dict[str, dict[str, int]] = {}
    for row in (
        Notification.objects.filter(organisation=organisation, created_at__gte=since)
        .values("kind")
        .annotate(sent=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    ):
        counts[row["kind"]] = {"sent": row["sent"], "read": row["read"]}
    off = dict(
        Preference.objects.filter(person__organisation=organisation, enabled=False)
        .values("kind")
        .annotate(people=Count("person", distinct=True))
        .values_list("kind", "people")
    )
    people = Person.objects.filter(
        organisation=organisation, user__isnull=False, anonymised_at__isnull=True
    ).count()
    return [
        KindFigures(
            kind=kind,
            sent=counts.get(code, {}).get("sent", 0),
            read=counts.get(code, {}).get("read", 0),
            turned_off=off.get(code, 0),
            people=people,
        )
        for code, kind in kinds.KINDS.items()
    ]
