"""Every write of the autopilot: one transaction, one audit row each.

The person's own writes (turn on, change, turn off, edit or cancel a queued post) and
the organisation's bounds. Queueing itself runs from the subscriber (queueing.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.autopilot import selectors, wording
from ambassade.autopilot.models import Autopilot, AutopilotPost, AutopilotSettings
from ambassade.content.models import Channel
from ambassade.content.selectors import check_message
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.sharing import preview
from ambassade.sharing import selectors as sharing_selectors
from ambassade.sharing.actions import cancel_target
from ambassade.sharing.actions.shares import similarity_check
from ambassade.sharing.models import WAITING, Share, ShareTarget, TargetStatus
from ambassade.sharing.registry import display_name
from ambassade.tracking.actions import short_url

MAX_PER_WEEK = 21
MAX_PREVIEW_HOURS = 168


def _own_person(actor: Actor) -> Person:
    if not allowed(actor, "autopilot.use") or actor.person is None:
        raise PermissionDenied
    return actor.person


def save_autopilot(
    actor: Actor,
    *,
    enabled: bool,
    template: str,
    per_week: int,
    channel_ids: Iterable[int],
    account_ids: Iterable[int],
) -> Autopilot:
    """Turns the person's autopilot on (or keeps it on) with their words, channels,
    accounts and weekly number; saving it off is turning it off."""
    person = _own_person(actor)
    options = selectors.settings_of(person.organisation)
    channel_ids, account_ids = set(channel_ids), set(account_ids)
    channels = list(Channel.objects.filter(organisation=person.organisation, pk__in=channel_ids))
    accounts = list(sharing_selectors.accounts_of(person).filter(pk__in=account_ids))
    if len(channels) != len(channel_ids):
        raise ValidationError({"channels": _("Choose among your organisation's channels.")})
    if len(accounts) != len(account_ids):
        raise ValidationError({"accounts": _("Choose among your own connected accounts.")})
    if not 1 <= per_week <= max(options.max_per_week, 1):
        raise ValidationError(
            {
                "per_week": _("Between 1 and %(max)d a week in your organisation.")
                % {"max": options.max_per_week}
            }
        )
    if enabled:
        if options.max_per_week == 0:
            raise ValidationError(_("Your organisation does not allow the autopilot."))
        if not channels:
            raise ValidationError({"channels": _("Choose at least one channel.")})
        if not accounts:
            raise ValidationError({"accounts": _("Choose at least one of your accounts.")})
        template = wording.check(template, [account.network for account in accounts])
    elif template:
        template = template.strip()[: wording.MAX_LENGTH]
    with transaction.atomic():
        pilot = Autopilot.objects.select_for_update().filter(person=person).first()
        was_on = bool(pilot and pilot.enabled)
        if pilot is None:
            pilot = Autopilot(organisation=person.organisation, person=person)
        pilot.enabled = enabled
        pilot.template = template
        pilot.per_week = per_week
        pilot.updated_at = timezone.now()
        pilot.save()
        pilot.channels.set(channels)
        pilot.accounts.set(accounts)
        after: dict[str, Any]
        if was_on and not enabled:
            cancelled = _cancel_queue(person)
            action, after = "autopilot.turned_off", {"cancelled": cancelled}
        else:
            action = "autopilot.turned_on" if enabled and not was_on else "autopilot.changed"
            after = {
                "enabled": enabled,
                "per_week": per_week,
                "channels": sorted(channel.pk for channel in channels),
                "accounts": sorted(account.pk for account in accounts),
            }
        audit.record(
            action, organisation=person.organisation, actor=actor, target=pilot, after=after
        )
    return pilot


def _cancel_queue(person: Person) -> int:
    """Cancels every post the autopilot queued for the person that has not gone out."""
    ids = list(
        ShareTarget.objects.select_for_update()
        .filter(
            autopilot__person=person,
            organisation_id=person.organisation_id,
            status__in=WAITING,
        )
        .values_list("pk", flat=True)
    )
    # The publishing task finds them cancelled and leaves them (it claims only due ones).
    return ShareTarget.objects.filter(pk__in=ids).update(status=TargetStatus.CANCELLED)


def turn_off(actor: Actor) -> int:
    """One tap: the autopilot is off and everything it queued is cancelled."""
    person = _own_person(actor)
    with transaction.atomic():
        pilot = Autopilot.objects.select_for_update().filter(person=person).first()
        if pilot is not None and pilot.enabled:
            pilot.enabled = False
            pilot.updated_at = timezone.now()
            pilot.save(update_fields=["enabled", "updated_at"])
        cancelled = _cancel_queue(person)
        audit.record(
            "autopilot.turned_off",
            organisation=person.organisation,
            actor=actor,
            target=pilot or person,
            after={"cancelled": cancelled},
        )
    return cancelled


def edit_post(actor: Actor, target_id: int, message: str) -> AutopilotPost:
    """The person rewrites a queued post before it goes out (all its networks: one share)."""
    person = _own_person(actor)
    post = selectors.own_post(actor, target_id)
    assert post.target is not None  # own_post answers 404 for a row without a post
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a message: a few words of your own.")})
    if len(message) > 3000:
        raise ValidationError({"message": _("The message is longer than 3,000 characters.")})
    with transaction.atomic():
        # PostgreSQL locks no row of the nullable side of an outer join: lock these rows only.
        share = (
            Share.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=post.target.share_id)
        )
        targets = list(
            ShareTarget.objects.select_for_update(of=("self",))
            .select_related("tracked_link")
            .filter(share=share)
        )
        mine = next(target for target in targets if target.pk == target_id)
        if mine.status not in WAITING:
            raise ValidationError(
                _("This post can no longer be changed: it is %(status)s.")
                % {"status": mine.get_status_display()}
            )
        options = sharing_selectors.settings_of(person.organisation)
        score = similarity_check(person, share.item, message)
        if score >= options.similarity_threshold:
            raise ValidationError(
                {
                    "message": _(
                        "Your message is %(score)d%% the same as a suggestion or a colleague's "
                        "post: make it your own, in your words."
                    )
                    % {"score": score}
                }
            )
        for target in targets:
            if target.status not in WAITING or target.account_id is None:
                continue
            found = check_message(person.organisation, message, target.network)
            if found.blocked:
                finding = found.blocking[0]
                raise ValidationError(
                    {
                        "message": _("“%(term)s” must not be posted: %(reason)s")
                        % {"term": finding.matched, "reason": finding.reason}
                    }
                )
            link = short_url(target.tracked_link) if target.tracked_link else ""
            counted = preview.shown(person.organisation, share.item, message, target.network, link)
            if counted.count.over:
                raise ValidationError(
                    {
                        "message": _(
                            "Too long for %(network)s: %(used)d of %(limit)d characters "
                            "with the link."
                        )
                        % {
                            "network": display_name(target.network),
                            "used": counted.count.used,
                            "limit": counted.count.limit,
                        }
                    }
                )
        before = len(share.message)
        share.message = message
        share.similarity = score
        share.save(update_fields=["message", "similarity"])
        audit.record(
            "autopilot.post_edited",
            organisation=person.organisation,
            actor=actor,
            target=share,
            before={"length": before},
            after={"length": len(message), "similarity": score},
        )
    post.target.share = share
    return post


def cancel_post(actor: Actor, target_id: int) -> AutopilotPost:
    """The person cancels one queued post (sharing's cancellation, its audit row)."""
    _own_person(actor)
    post = selectors.own_post(actor, target_id)
    assert post.target is not None
    post.target = cancel_target(actor, post.target)
    return post


def update_settings(actor: Actor, *, max_per_week: int, preview_hours: int) -> AutopilotSettings:
    if not allowed(actor, "autopilot.settings"):
        raise PermissionDenied
    if not 0 <= max_per_week <= MAX_PER_WEEK:
        raise ValidationError({"max_per_week": _("Between 0 and %(max)d.") % {"max": MAX_PER_WEEK}})
    if not 1 <= preview_hours <= MAX_PREVIEW_HOURS:
        raise ValidationError(
            {
                "preview_hours": _(
                    "Between 1 and %(max)d hours: people need time to read their post."
                )
                % {"max": MAX_PREVIEW_HOURS}
            }
        )
    organisation = actor.organisation
    with transaction.atomic():
        options, _created = AutopilotSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = {"max_per_week": options.max_per_week, "preview_hours": options.preview_hours}
        options.max_per_week, options.preview_hours = max_per_week, preview_hours
        options.save()
        audit.record(
            "autopilot.settings_changed",
            organisation=organisation,
            actor=actor,
            target=options,
            before=before,
            after={"max_per_week": max_per_week, "preview_hours": preview_hours},
        )
    return options
