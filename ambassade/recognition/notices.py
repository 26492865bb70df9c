"""Recognition's events turned into notifications: a person is told that their reward
request was approved, sent or cancelled, that they earned a badge, that a challenge they
took part in rewarded them. Each kind follows the person's channel choices, quiet hours
and caps (notifications app); a redelivered event notifies nobody twice (the notice is
unique per person, kind and event)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.notifications import kinds
from ambassade.notifications.actions import language_of, notify
from ambassade.people.models import Person
from ambassade.recognition.models import RequestStatus, RewardRequest

REWARD_REQUEST = "reward_request_decided"
BADGE = "badge_awarded"
CHALLENGE = "challenge_completed"


def register_kinds() -> None:
    """The kinds on every person's notification settings page, from the app's ready."""
    everywhere = frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH})
    no_mail = frozenset({kinds.IN_APP, kinds.PUSH})
    for kind in (
        kinds.Kind(
            REWARD_REQUEST,
            gettext_lazy("My reward requests"),
            gettext_lazy("A reward you asked for was approved, sent, or cancelled."),
            gettext_lazy("You get this because you asked for this reward."),
            urgent=False,
            defaults=everywhere,
            console_defaults=everywhere,
        ),
        kinds.Kind(
            BADGE,
            gettext_lazy("A badge I earned"),
            gettext_lazy("You earned one of your organisation's badges."),
            gettext_lazy("You get this because you earned this badge."),
            urgent=False,
            defaults=no_mail,
            console_defaults=no_mail,
        ),
        kinds.Kind(
            CHALLENGE,
            gettext_lazy("A challenge I completed"),
            gettext_lazy("A challenge you took part in reached its target and gave you points."),
            gettext_lazy("You get this because you took part in this challenge."),
            urgent=False,
            defaults=no_mail,
            console_defaults=no_mail,
        ),
    ):
        kinds.register(kind)


def _person(event: DomainEvent) -> Person | None:
    """The person concerned, of the event's organisation, unless they were anonymised."""
    return (
        Person.objects.filter(
            organisation_id=event.organisation_id or 0,
            pk=event.payload.get("person_id"),
            anonymised_at__isnull=True,
        )
        .select_related("organisation", "user")
        .first()
    )


def _reward_texts(request: RewardRequest, status: str) -> tuple[str, str]:
    reward = request.reward.name
    if status == RequestStatus.APPROVED:
        title = _("Your reward request was approved")
        body = _("%(reward)s: the team will tell you when it is on its way.") % {"reward": reward}
    elif status == RequestStatus.SENT:
        title = _("Your reward is on its way")
        body = _("%(reward)s was sent to you.") % {"reward": reward}
    else:
        title = _("Your reward request was cancelled, your points are back")
        body = ngettext(
            "%(reward)s: its %(points)d point is yours to spend again.",
            "%(reward)s: its %(points)d points are yours to spend again.",
            request.cost,
        ) % {"reward": reward, "points": request.cost}
    if request.answer:
        body = _("%(body)s The team's note: %(note)s") % {"body": body, "note": request.answer}
    return title, body


@subscribe("recognition.reward_request_decided")
def tell_the_requester(event: DomainEvent) -> None:
    status = event.payload.get("status")
    if event.payload.get("by_requester") or status not in (
        RequestStatus.APPROVED,
        RequestStatus.SENT,
        RequestStatus.CANCELLED,
    ):
        return  # who cancelled their own request knows it already
    person = _person(event)
    request = (
        RewardRequest.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("request_id")
        )
        .select_related("reward")
        .first()
    )
    if person is None or request is None or request.person_id != person.pk:
        return
    with translation.override(language_of(person)):
        title, body = _reward_texts(request, status)
        notify(
            person,
            REWARD_REQUEST,
            title=title,
            body=body,
            url=reverse("recognition:rewards"),
            event_id=event.pk,
        )


@subscribe("recognition.badge_awarded")
def tell_the_badge_earner(event: DomainEvent) -> None:
    person = _person(event)
    if person is None:
        return
    with translation.override(language_of(person)):
        notify(
            person,
            BADGE,
            title=_("You earned the badge %(name)s")
            % {"name": event.payload.get("badge_name", "")},
            body=_("It is on your badges page, with the others you earned."),
            url=reverse("recognition:badges"),
            event_id=event.pk,
        )


@subscribe("recognition.challenge_completed")
def tell_the_challenger(event: DomainEvent) -> None:
    person = _person(event)
    if person is None:
        return
    points = int(event.payload.get("points") or 0)
    name = event.payload.get("challenge_name", "")
    with translation.override(language_of(person)):
        if points:
            title = ngettext(
                "Challenge completed: %(points)d point",
                "Challenge completed: %(points)d points",
                points,
            ) % {"points": points}
        else:
            title = _("Challenge completed: %(name)s") % {"name": name}
        notify(
            person,
            CHALLENGE,
            title=title,
            body=_("%(name)s: the target is reached, thank you for taking part.") % {"name": name},
            url=reverse("recognition:challenge_mine"),
            event_id=event.pk,
        )
