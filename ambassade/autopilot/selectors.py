"""Read-only questions of the autopilot, for its pages, its API and its subscriber."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ambassade.autopilot.models import Autopilot, AutopilotPost, AutopilotSettings, Outcome
from ambassade.core.authz import Actor
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.models import WAITING, TargetStatus

WEEK = timedelta(days=7)


def settings_of(organisation: Organisation) -> AutopilotSettings:
    found = AutopilotSettings.objects.filter(organisation=organisation).first()
    return found or AutopilotSettings(organisation=organisation)


def autopilot_of(person: Person) -> Autopilot:
    """The person's autopilot; an unsaved one, off, when they never set it."""
    found = Autopilot.objects.filter(person=person).first()
    return found or Autopilot(organisation_id=person.organisation_id, person=person)


def weekly_limit(pilot: Autopilot, options: AutopilotSettings) -> int:
    return min(pilot.per_week, options.max_per_week)


def queued_this_week(person: Person) -> int:
    """Items the autopilot queued for the person in the last seven days (one per item,
    whatever the number of networks it goes to); a post they cancelled does not count."""
    return (
        AutopilotPost.objects.filter(
            person=person, outcome=Outcome.QUEUED, created_at__gte=timezone.now() - WEEK
        )
        .exclude(target__status=TargetStatus.CANCELLED)
        .values("item_id")
        .distinct()
        .count()
    )


def posts_of(actor: Actor) -> QuerySet[AutopilotPost]:
    person = actor.person
    return AutopilotPost.objects.filter(
        organisation_id=actor.organisation.pk, person_id=person.pk if person else 0
    ).select_related("item", "target", "target__share", "target__account")


def waiting_posts(actor: Actor) -> QuerySet[AutopilotPost]:
    """The autopilot's posts that have not gone out yet: to edit or cancel."""
    return posts_of(actor).filter(target__status__in=WAITING).order_by("target__scheduled_at", "pk")


def recent_posts(actor: Actor, limit: int = 20) -> list[AutopilotPost]:
    """What the autopilot did lately: posts that went out or were cancelled, items skipped."""
    return list(
        posts_of(actor).exclude(target__status__in=WAITING).order_by("-created_at", "-pk")[:limit]
    )


def own_post(actor: Actor, target_id: int) -> AutopilotPost:
    """One of the actor's autopilot posts, by its target; 404 for anyone else's."""
    found = posts_of(actor).filter(target_id=target_id).first()
    if found is None or found.target is None:
        raise Http404
    return found
