"""A post handed back to its author (``TargetStatus.RETURNED``): they schedule it again."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.programs.selectors import may_share
from ambassade.sharing import scheduling, selectors
from ambassade.sharing.actions._common import own_person
from ambassade.sharing.actions.shares import WHEN, _when
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus


def reschedule_target(
    actor: Actor, target: ShareTarget, *, when: str = "schedule", at: datetime | None = None
) -> ShareTarget:
    """Plans a returned post again (now, at a time, or in the author's queue), under the
    same rules as a new one: the author may share, the item is live, the account is
    connected, quiet hours, the stagger and the daily cap."""
    person = own_person(actor, "sharing.share")
    if when not in WHEN:
        raise ValidationError({"when": _("Choose now, a time, or your queue.")})
    with transaction.atomic():
        locked = (
            ShareTarget.objects.select_for_update(of=("self",))
            .select_related("share__item__program", "account")
            .get(pk=target.pk, share__person=person, organisation_id=person.organisation_id)
        )
        if locked.status != TargetStatus.RETURNED:
            raise ValidationError(
                _("Only a post returned to you can be scheduled again: it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        item = locked.share.item
        if not item.is_live:
            raise ValidationError(_("This item cannot be shared any more."))
        decision = may_share(person, item.program, locked.network)
        if not decision.allowed:
            raise ValidationError(decision.reason)
        account = locked.account
        if account is None or account.status != SocialAccount.Status.CONNECTED:
            raise ValidationError(_("Connect this account again first."))
        options = selectors.settings_of(person.organisation)
        tz = scheduling.zone_of(person)
        scheduling.hold(person.pk, item.pk)
        moment = _when(options, tz, when, at, person)
        planned = scheduling.plan(
            options, tz, person.organisation_id, item.pk, locked.network, moment, exclude=locked.pk
        )
        taken = selectors.posts_on_day(person, locked.network, planned, tz, exclude=locked.pk)
        if taken >= options.daily_cap:
            raise ValidationError(
                {
                    "when": _(
                        "You already have %(count)d posts on %(network)s that day, "
                        "the organisation's limit: choose another day."
                    )
                    % {"count": taken, "network": locked.network_name}
                }
            )
        due_now = planned <= timezone.now() + timedelta(seconds=5)
        locked.status = TargetStatus.QUEUED if due_now else TargetStatus.SCHEDULED
        if selectors.holds(person.organisation_id, person.pk):
            locked.status = TargetStatus.PAUSED
        locked.scheduled_at = planned
        locked.failure_reason = ""
        locked.save(update_fields=["status", "scheduled_at", "failure_reason"])
        audit.record(
            "sharing.target_rescheduled",
            organisation=person.organisation,
            actor=actor,
            target=locked,
            before={"status": TargetStatus.RETURNED},
            after={"status": locked.status, "scheduled_at": planned.isoformat()},
        )
        if locked.status != TargetStatus.PAUSED:
            from ambassade.sharing.publishing import enqueue

            enqueue(locked.pk, planned)
    return locked
