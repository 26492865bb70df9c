"""Respectful nudges: one friendly reminder to an ambassador away for three weeks, no more.

"Last seen" is ``Settings.last_seen_on``, written at most once a day by LastSeenMiddleware.
Someone never seen since this was installed counts from when they were added.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ambassade.content.models import ContentItem, Status
from ambassade.core.roles import Role
from ambassade.notifications.actions import language_of, notify
from ambassade.notifications.models import Settings
from ambassade.people.models import EmploymentStatus, Person
from ambassade.programs.models import Enrolment

AWAY = timedelta(days=21)


def _new_items(person: Person, since: datetime) -> list[str]:
    programs = Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE).values(
        "program_id"
    )
    return list(
        ContentItem.objects.filter(
            organisation_id=person.organisation_id,
            status=Status.PUBLISHED,
            published_at__gte=since,
        )
        .filter(Q(program_id__in=programs) | Q(program__isnull=True))
        .order_by("-published_at")
        .values_list("title", flat=True)[:5]
    )


def due(now: datetime) -> list[Person]:
    """Active ambassadors away for 21 days or more, not nudged in the last 21 days."""
    cutoff = now - AWAY
    return list(
        Person.objects.filter(
            anonymised_at__isnull=True,
            employment_status=EmploymentStatus.ACTIVE,
            user__isnull=False,
            role_assignments__role=Role.AMBASSADOR,
            enrolments__status=Enrolment.Status.ACTIVE,
            created_at__lte=cutoff,
        )
        .exclude(notification_settings__last_seen_on__gt=cutoff.date())
        .exclude(notification_settings__last_nudged_at__gt=cutoff)
        .select_related("user", "organisation")
        .prefetch_related("role_assignments")
        .distinct()
    )


def send_nudges(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for person in due(now):
        seen = Settings.objects.filter(person=person).values_list("last_seen_on", flat=True).first()
        since = (
            timezone.make_aware(datetime.combine(seen, datetime.min.time())) if seen else now - AWAY
        )
        titles = _new_items(person, since)
        with translation.override(language_of(person)):
            lines = [
                ngettext(
                    "%(count)d new thing to share since your last visit:",
                    "%(count)d new things to share since your last visit:",
                    len(titles),
                )
                % {"count": len(titles)}
            ] + [f"- {title}" for title in titles]
            body = "\n".join(lines) if titles else _("Your feed is waiting for you.")
            notify(
                person,
                "nudge",
                title=_("We have not seen you for a while"),
                body=body,
                url=reverse("content:feed"),
                event_id=None,
            )
        # Marked even when the kind is off: the 21 days count from the last chance to nudge.
        Settings.objects.update_or_create(person=person, defaults={"last_nudged_at": now})
        sent += 1
    return sent
