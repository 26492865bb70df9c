"""The organisation's sharing rules, its pause switch and its network apps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content.models import ContentItem
from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.models import Organisation
from ambassade.sharing import crypto, scheduling, selectors
from ambassade.sharing.actions._common import check
from ambassade.sharing.models import (
    NetworkApp,
    PublishingPause,
    ShareTarget,
    SharingSettings,
    TargetStatus,
)

SETTINGS_FIELDS = (
    "similarity_threshold",
    "similarity_mode",
    "stagger_minutes",
    "daily_cap",
    "quiet_start",
    "quiet_end",
)


@transaction.atomic
def update_settings(actor: Actor, values: dict[str, Any]) -> SharingSettings:
    check(actor, "sharing.settings")
    options, _created = SharingSettings.objects.get_or_create(organisation=actor.organisation)
    before = {name: str(getattr(options, name)) for name in SETTINGS_FIELDS}
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(options, name, values[name])
    if not 50 <= options.similarity_threshold <= 100:
        raise ValidationError({"similarity_threshold": _("Choose a threshold from 50 to 100.")})
    if options.daily_cap < 1:
        raise ValidationError({"daily_cap": _("Allow at least one post a day.")})
    options.full_clean(exclude=["organisation"])
    options.save()
    audit.record(
        "sharing.settings_changed",
        organisation=actor.organisation,
        actor=actor,
        target=options,
        before=before,
        after={name: str(getattr(options, name)) for name in SETTINGS_FIELDS},
    )
    return options


def set_pause(actor: Actor, paused: bool, reason: str = "") -> PublishingPause:
    """Pauses (or resumes) all scheduled and queued publishing of the organisation."""
    check(actor, "sharing.pause")
    with transaction.atomic():
        pause, _created = PublishingPause.objects.select_for_update().get_or_create(
            organisation=actor.organisation
        )
        pause.paused = paused
        pause.reason = reason.strip()[:300]
        pause.changed_at = timezone.now()
        pause.changed_by_label = actor.label[:200]
        pause.save()
        waiting = ShareTarget.objects.filter(organisation=actor.organisation)
        if paused:
            count = waiting.filter(status__in=(TargetStatus.SCHEDULED, TargetStatus.QUEUED)).update(
                status=TargetStatus.PAUSED
            )
        else:
            count = _respace(actor.organisation, waiting.filter(status=TargetStatus.PAUSED))
        audit.record(
            "sharing.paused" if paused else "sharing.resumed",
            organisation=actor.organisation,
            actor=actor,
            target=pause,
            after={"reason": pause.reason, "targets": count},
        )
    return pause


def _respace(organisation: Organisation, paused: QuerySet[ShareTarget]) -> int:
    """What waited during a pause goes out from now on, with the stagger between colleagues'
    posts of one item and outside quiet hours, not all at once."""
    from ambassade.sharing.publishing import enqueue

    options = selectors.settings_of(organisation)
    now = timezone.now()
    targets = list(
        paused.select_related("share", "share__person", "share__person__user").order_by(
            "scheduled_at", "pk"
        )
    )
    for item_id in sorted({target.share.item_id for target in targets}):
        # Composes of these items wait (scheduling.hold); people are not locked here, so
        # no compose or claim can hold what this waits for.
        list(ContentItem.objects.select_for_update(no_key=True).filter(pk=item_id).values("pk"))
    for target in targets:
        moment = max(target.scheduled_at or now, now)
        if target.account_id is not None:
            moment = scheduling.plan(
                options,
                scheduling.zone_of(target.share.person),
                organisation.pk,
                target.share.item_id,
                target.network,
                moment,
                exclude=target.pk,
            )
        target.status = TargetStatus.SCHEDULED
        target.scheduled_at = moment
        target.save(update_fields=["status", "scheduled_at"])
        enqueue(target.pk, moment)
    return len(targets)


@transaction.atomic
def save_network_app(
    actor: Actor, network: str, client_id: str, client_secret: str = ""
) -> NetworkApp:
    """An organisation's app credentials (LinkedIn, X); an empty secret keeps the old one."""
    check(actor, "sharing.settings")
    client_id = client_id.strip()
    if not client_id:
        raise ValidationError({"client_id": _("Type the app's client id.")})
    app = NetworkApp.objects.filter(organisation=actor.organisation, network=network).first()
    if app is None:
        if not client_secret.strip():
            raise ValidationError({"client_secret": _("Type the app's client secret.")})
        app = NetworkApp(organisation=actor.organisation, network=network)
    app.client_id = client_id[:300]
    if client_secret.strip():
        app.client_secret = crypto.encrypt({"client_secret": client_secret.strip()})
    app.save()
    audit.record(
        "sharing.network_app_saved",
        organisation=actor.organisation,
        actor=actor,
        target=app,
        after={"network": network, "client_id": app.client_id},
    )
    return app
