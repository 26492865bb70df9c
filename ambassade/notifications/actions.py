"""Every write of the notifications app: notify, read, and a person's choices.

``notify`` writes the in-app notice, then sends a copy on each other channel the person
has on for the kind, after commit. Non-urgent copies respect quiet hours (held, then sent
by the ``release_held_notifications`` job when they end: decisions/0025) and the daily and
weekly caps (beyond them, the app only).
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.roles import Role
from ambassade.notifications import channels, delivery, kinds
from ambassade.notifications.models import Notification, Preference, Settings
from ambassade.people.models import Person

logger = logging.getLogger(__name__)

MAX_CAP = 100


def language_of(person: Person) -> str:
    chosen = person.user.language if person.user is not None else ""
    return chosen or person.organisation.default_language or settings.LANGUAGE_CODE


def is_ambassador(person: Person) -> bool:
    return Role.AMBASSADOR in person.role_set


def enabled_channels(person: Person, kind: kinds.Kind) -> list[str]:
    """The channels on for this person and kind: their choices over the kind's defaults."""
    chosen = dict(
        Preference.objects.filter(person=person, kind=kind.code).values_list("channel", "enabled")
    )
    defaults = kinds.defaults_for(kind, is_ambassador(person))
    return [name for name in kinds.channel_names() if chosen.get(name, name in defaults)]


def notify(
    person: Person,
    kind: str,
    *,
    title: str,
    body: str,
    url: str,
    event_id: int | None,
    in_app_only: bool = False,
) -> Notification | None:
    """Tells one person; None when they turned the kind off or already have this notice.

    ``in_app_only``: another notice already goes out by mail and push for the same cause
    (a post failed because its account needs reconnecting: the account's notice does).
    """
    definition = kinds.get(kind)
    on = enabled_channels(person, definition)
    if in_app_only:
        on = [name for name in on if name == kinds.IN_APP]
    if not on:
        return None
    outside = [name for name in on if name != kinds.IN_APP]
    now = timezone.now()
    with transaction.atomic():
        if (
            event_id is not None
            and Notification.objects.filter(person=person, kind=kind, event_id=event_id).exists()
        ):
            return None
        capped = False
        hold_until = None
        if outside and not definition.urgent:
            choices = delivery.settings_of(person)
            if delivery.over_cap(person, choices, now):
                capped, outside = True, []
            else:
                hold_until = delivery.quiet_until(person, choices, now)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    organisation_id=person.organisation_id,
                    person=person,
                    kind=kind,
                    title=title[:300],
                    body=body,
                    url=url[:2048],
                    urgent=definition.urgent,
                    event_id=event_id,
                    # Turned off in the app: kept for the record and the caps, already read.
                    read_at=None if kinds.IN_APP in on else now,
                    held_channels=outside if hold_until else [],
                    hold_until=hold_until,
                    went_out=bool(outside),
                    capped=capped,
                )
        except IntegrityError:  # the same event's notice, written meanwhile
            return None
        if outside and hold_until is None:
            notification_id = notification.pk
            transaction.on_commit(lambda: send_copies(notification_id, outside))
    return notification


def settings_url(kind: str) -> str:
    return f"{settings.BASE_URL}{reverse('notifications:preferences')}#kind-{kind}"


def message_for(notification: Notification) -> channels.Message:
    definition = kinds.get(notification.kind)
    url = notification.url
    if url.startswith("/"):
        url = f"{settings.BASE_URL}{url}"
    with translation.override(language_of(notification.person)):
        reason = str(definition.reason)
    return channels.Message(
        notification_id=notification.pk,
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        url=url,
        reason=reason,
        settings_url=settings_url(notification.kind),
        urgent=notification.urgent,
    )


def send_copies(notification_id: int, names: list[str]) -> list[str]:
    """Sends the copies of one notification; a failing channel does not stop the others."""
    notification = (
        Notification.objects.select_related("person__user", "person__organisation")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return []
    message = message_for(notification)
    sent = []
    for name in names:
        send = channels.sender(name)
        if send is None:
            continue
        try:
            if send(notification.person, message):
                sent.append(name)
        except Exception:  # one channel's outage must not lose the others
            logger.exception("notification copy not sent", extra={"channel": name})
    Notification.objects.filter(pk=notification_id).update(sent_channels=sent)
    return sent


def release_held(now: datetime | None = None, limit: int = 500) -> int:
    """Sends the copies held during quiet hours that have now ended."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(hold_until__lte=now)
        .order_by("hold_until")
        .values_list("pk", "held_channels")[:limit]
    )
    for pk, names in due:
        # Claimed first, so two runs never send the same copy twice.
        if Notification.objects.filter(pk=pk, hold_until__isnull=False).update(
            hold_until=None, held_channels=[]
        ):
            send_copies(pk, list(names))
    return len(due)


def mark_read(actor: Actor, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def mark_all_read(actor: Actor) -> int:
    if actor.person is None:
        return 0
    return Notification.objects.filter(person=actor.person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def save_preferences(
    actor: Actor,
    *,
    choices: dict[tuple[str, str], bool],
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    daily_cap: int | None = None,
    weekly_cap: int | None = None,
) -> None:
    """Saves the kind x channel choices (those given) and the quiet hours and caps."""
    person = actor.person
    if person is None:
        raise ValidationError(_("An organisation token does not stand for a person."))
    known_channels = kinds.channel_names()
    for kind, channel in choices:
        if kind not in kinds.KINDS:
            raise ValidationError({"kind": _("Unknown kind of notification: %s") % kind})
        if channel not in known_channels:
            raise ValidationError({"channel": _("Unknown channel: %s") % channel})
    for name, cap in (("daily_cap", daily_cap), ("weekly_cap", weekly_cap)):
        if cap is not None and not 0 <= cap <= MAX_CAP:
            raise ValidationError({name: _("Give a number from 0 to %d.") % MAX_CAP})
    with transaction.atomic():
        saved, _created = Settings.objects.get_or_create(person=person)
        before: dict[str, Any] = _settings_dict(saved)
        for field, value in (
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
            ("daily_cap", daily_cap),
            ("weekly_cap", weekly_cap),
        ):
            if value is not None:
                setattr(saved, field, value)
        saved.save()
        for (kind, channel), enabled in choices.items():
            Preference.objects.update_or_create(
                person=person, kind=kind, channel=channel, defaults={"enabled": enabled}
            )
        audit.record(
            "notification_preferences.changed",
            organisation=actor.organisation,
            actor=actor,
            target=person,
            before=before,
            after=_settings_dict(saved)
            | {"choices": {f"{k}/{c}": on for (k, c), on in sorted(choices.items())}},
        )


def _settings_dict(saved: Settings) -> dict[str, Any]:
    return {
        "quiet_start": saved.quiet_start.strftime("%H:%M"),
        "quiet_end": saved.quiet_end.strftime("%H:%M"),
        "daily_cap": saved.daily_cap,
        "weekly_cap": saved.weekly_cap,
    }
