"""The organisation's pause: held posts, the people it exempts, and what becomes of the
held posts when it ends (they resume, go back to their authors, or are cancelled).

``set_pause`` is the console's switch. The other functions are for an app above sharing
that drives the pause (a crisis): it checks its own permission, and they run in its
transaction. Sharing never knows why the pause is on.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ambassade.content.models import ContentItem
from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing import scheduling, selectors
from ambassade.sharing.actions._common import check
from ambassade.sharing.models import PublishingPause, ShareTarget, TargetStatus

PLANNED = (TargetStatus.SCHEDULED, TargetStatus.QUEUED)


def set_pause(actor: Actor, paused: bool, reason: str = "") -> PublishingPause:
    """Pauses (or resumes) all scheduled and queued publishing of the organisation."""
    check(actor, "sharing.pause")
    with transaction.atomic():
        if paused:
            hold(actor.organisation, actor, reason)
        else:
            resume(actor.organisation, actor)
    return selectors.pause_of(actor.organisation)


def _locked(organisation: Organisation) -> PublishingPause:
    pause, _created = PublishingPause.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    return pause


def _stamp(pause: PublishingPause, actor: Actor | None) -> None:
    pause.changed_at = timezone.now()
    pause.changed_by_label = (actor.label if actor else "system")[:200]


def hold(
    organisation: Organisation,
    actor: Actor | None,
    reason: str,
    exempt: Iterable[Person] | None = None,
) -> int:
    """Turns the pause on, or changes its reason and the people it exempts (``None``:
    the same people). The planned posts of everyone else are held; the held posts of
    people now exempt go out again, spaced. Returns how many posts it newly held."""
    with transaction.atomic():
        pause = _locked(organisation)
        pause.paused = True
        pause.reason = reason.strip()[:300]
        _stamp(pause, actor)
        pause.save()
        if exempt is not None:
            people = list(exempt)
            if any(person.organisation_id != organisation.pk for person in people):
                raise ValueError("exempt people belong to the pause's organisation")
            pause.exempt.set(people)
        exempt_ids = sorted(pause.exempt.values_list("pk", flat=True))
        targets = ShareTarget.objects.filter(organisation=organisation)
        held = (
            targets.filter(status__in=PLANNED)
            .exclude(share__person_id__in=exempt_ids)
            .update(status=TargetStatus.PAUSED)
        )
        released = _respace(
            organisation,
            targets.filter(status=TargetStatus.PAUSED, share__person_id__in=exempt_ids),
        )
        audit.record(
            "sharing.paused",
            organisation=organisation,
            actor=actor,
            target=pause,
            after={
                "reason": pause.reason,
                "targets": held,
                "released": released,
                "exempt": exempt_ids,
            },
        )
    return held


def resume(organisation: Organisation, actor: Actor | None) -> int:
    """Turns the pause off: the held posts go out from now on, spaced. Returns how many."""
    with transaction.atomic():
        pause = _locked(organisation)
        pause.paused = False
        pause.reason = ""
        _stamp(pause, actor)
        pause.save()
        pause.exempt.clear()
        count = _respace(organisation, selectors.held_targets(organisation))
        audit.record(
            "sharing.resumed",
            organisation=organisation,
            actor=actor,
            target=pause,
            after={"reason": "", "targets": count},
        )
    return count


def _settle_held(
    organisation: Organisation, actor: Actor | None, status: str, reason: str, code: str
) -> list[ShareTarget]:
    with transaction.atomic():
        ids = list(
            selectors.held_targets(organisation)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        targets = list(
            ShareTarget.objects.filter(pk__in=ids)
            .select_related("share__person__user", "share__person__organisation", "share__item")
            .order_by("pk")
        )
        for target in targets:
            target.status = status
            target.failure_reason = reason[:500]
        ShareTarget.objects.bulk_update(targets, ["status", "failure_reason"])
        if targets:
            audit.record(
                code,
                organisation=organisation,
                actor=actor,
                after={"targets": ids, "reason": reason[:300]},
            )
    return targets


def return_held(organisation: Organisation, actor: Actor | None, reason: str) -> list[ShareTarget]:
    """The held posts go back to their authors: nothing publishes them any more until
    each author schedules (``reschedule_target``) or cancels them. Returns them, with
    their authors, for the caller to tell."""
    return _settle_held(organisation, actor, TargetStatus.RETURNED, reason, "sharing.held_returned")


def cancel_held(organisation: Organisation, actor: Actor | None, reason: str) -> list[ShareTarget]:
    """The held posts are cancelled; returns them, with their authors, for the caller to tell."""
    return _settle_held(
        organisation, actor, TargetStatus.CANCELLED, reason, "sharing.held_cancelled"
    )


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
