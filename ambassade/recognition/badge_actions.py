"""The writes of badges: the console creates, changes and retires them (with their image),
and each person chooses whether colleagues see their badges.

Each action checks the actor's permission, validates everything before writing (a
ValidationError naming the fields), and writes its audit row in its own transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content import images
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import Badge, Criterion, Profile

BADGE_FIELDS = ("name", "description", "criterion", "threshold")
NAME_LIMIT = 80
DESCRIPTION_LIMIT = 300
MAX_THRESHOLD = 1000
logger = logging.getLogger(__name__)


def _manager(actor: Actor) -> None:
    if not allowed(actor, "recognition.manage"):
        raise PermissionDenied


def _own(actor: Actor, badge: Badge) -> None:
    if badge.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _clean(actor: Actor, values: dict[str, Any], badge: Badge | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = values.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = _("Give the badge a name.")
    elif len(name) > NAME_LIMIT:
        errors["name"] = _("At most %(limit)d characters.") % {"limit": NAME_LIMIT}
    else:
        others = Badge.objects.filter(organisation=actor.organisation)
        if badge is not None:
            others = others.exclude(pk=badge.pk)
        # Compared here, not with iexact: SQLite folds the case of ASCII letters only (É, é).
        taken = {other.casefold() for other in others.values_list("name", flat=True)}
        if name.casefold() in taken:
            errors["name"] = _("Your organisation already has a badge named “%(name)s”.") % {
                "name": name
            }
    description = values.get("description") or ""
    description = description.strip() if isinstance(description, str) else ""
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = _("At most %(limit)d characters.") % {"limit": DESCRIPTION_LIMIT}
    criterion = values.get("criterion")
    if criterion not in Criterion.values:
        errors["criterion"] = _("Choose what earns the badge.")
    threshold = values.get("threshold")
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or not 1 <= threshold <= MAX_THRESHOLD
    ):
        errors["threshold"] = _("Give how many times, from 1 to %(limit)d.") % {
            "limit": MAX_THRESHOLD
        }
    elif criterion == Criterion.PATH_COMPLETED and threshold != 1:
        errors["threshold"] = _("A completed training path counts once: the number is 1.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "description": description,
        "criterion": criterion,
        "threshold": threshold,
    }


def _award_later(badge: Badge) -> None:
    """Those who already qualify get the badge after the commit, in the background (the
    periodic job catches up on the recent ones if the queue is down)."""
    from ambassade.recognition.tasks import award_badge_to_qualified

    def enqueue() -> None:
        try:
            award_badge_to_qualified.enqueue(badge.pk)
        except Exception:
            logger.exception("badge awarding not queued", extra={"badge": badge.pk})

    transaction.on_commit(enqueue)


def _store_image(actor: Actor, data: bytes | None) -> str | None:
    """The stored image's path (None: no new image); checked after the other fields, so a
    refused badge leaves no file behind."""
    if data is None:
        return None
    if len(data) > images.MAX_IMAGE_BYTES:
        raise ValidationError({"image": _("The image is larger than 8 MB.")})
    try:
        stored = images.store(data, folder=f"recognition/{actor.organisation.pk}/badges")
    except images.ImageError as error:
        raise ValidationError({"image": error.message}) from None
    return stored.name


@transaction.atomic
def create_badge(actor: Actor, *, image: bytes | None = None, **values: Any) -> Badge:
    _manager(actor)
    unknown = set(values) - set(BADGE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    cleaned = _clean(actor, {"threshold": 1, **values}, None)
    stored = _store_image(actor, image)
    badge = Badge.objects.create(organisation=actor.organisation, image=stored or "", **cleaned)
    _award_later(badge)
    audit.record(
        "recognition.badge_created",
        organisation=actor.organisation,
        actor=actor,
        target=badge,
        after={**cleaned, "image": bool(stored)},
    )
    return badge


@transaction.atomic
def change_badge(
    actor: Actor, badge: Badge, *, image: bytes | None = None, **changes: Any
) -> Badge:
    _manager(actor)
    _own(actor, badge)
    unknown = set(changes) - set(BADGE_FIELDS) - {"active"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    active = changes.pop("active", badge.active)
    if not isinstance(active, bool):
        raise ValidationError({"active": _("Say whether the badge is still awarded.")})
    before = {name: getattr(badge, name) for name in BADGE_FIELDS} | {"active": badge.active}
    cleaned = _clean(actor, {**before, **changes}, badge)
    stored = _store_image(actor, image)
    for name, value in cleaned.items():
        setattr(badge, name, value)
    badge.active = active
    if stored:
        badge.image = stored
    badge.save()
    after = cleaned | {"active": active}
    changed = [name for name in after if after[name] != before[name]]
    if active and {"criterion", "threshold", "active"} & set(changed):
        _award_later(badge)
    audit.record(
        "recognition.badge_retired"
        if before["active"] and not active
        else "recognition.badge_changed",
        organisation=actor.organisation,
        actor=actor,
        target=badge,
        before={name: before[name] for name in changed} | ({"image": True} if stored else {}),
        after={name: after[name] for name in changed} | ({"image": True} if stored else {}),
    )
    return badge


def retire_badge(actor: Actor, badge: Badge) -> Badge:
    """No longer awarded; those who earned it keep it."""
    return change_badge(actor, badge, active=False)


@transaction.atomic
def show_badges(actor: Actor, show: Any) -> Profile:
    """The person's choice: colleagues may see their badges, or nobody but themselves."""
    if not allowed(actor, "recognition.manage_own") or actor.person is None:
        raise PermissionDenied
    if not isinstance(show, bool):
        raise ValidationError({"show_badges": _("Say whether colleagues may see your badges.")})
    profile = Profile.objects.select_for_update().get(pk=profile_of(actor.person).pk)
    before = profile.show_badges
    profile.show_badges = show
    profile.save(update_fields=["show_badges", "updated_at"])
    audit.record(
        "recognition.badges_shown" if show else "recognition.badges_hidden",
        organisation=actor.organisation,
        actor=actor,
        target=actor.person,
        before={"show_badges": before},
        after={"show_badges": show},
    )
    return profile
