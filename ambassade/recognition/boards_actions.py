"""Writes about the boards: a person's own choices, the organisation's setting (ranked
boards or bands only), and who is compared on the executives' board."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import Profile, RecognitionSettings

CHOICES = ("on_boards", "show_badges")


def _yes_or_no(errors: dict[str, str], name: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        errors[name] = _("Answer yes or no (true or false).")
        return False
    return raw


@transaction.atomic
def set_choices(actor: Actor, *, on_boards: Any, show_badges: Any) -> Profile:
    """The person's own choices: appearing by name on the boards, showing their badges."""
    if not allowed(actor, "recognition.manage_own") or actor.person is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    values = {
        "on_boards": _yes_or_no(errors, "on_boards", on_boards),
        "show_badges": _yes_or_no(errors, "show_badges", show_badges),
    }
    if errors:
        raise ValidationError(errors)
    profile = Profile.objects.select_for_update().get(pk=profile_of(actor.person).pk)
    before = {name: getattr(profile, name) for name in CHOICES}
    if before != values:
        for name, chosen in values.items():
            setattr(profile, name, chosen)
        profile.save(update_fields=[*CHOICES, "updated_at"])
        audit.record(
            "recognition.choices_changed",
            organisation=actor.organisation,
            actor=actor,
            target=actor.person,
            before=before,
            after=values,
        )
    return profile


@transaction.atomic
def set_boards(actor: Actor, boards: Any) -> RecognitionSettings:
    """Ranked boards of those who opted in, or bands only (nobody sees others ranked)."""
    if not allowed(actor, "recognition.manage"):
        raise PermissionDenied
    if boards not in RecognitionSettings.Boards.values:
        raise ValidationError(
            {"boards": _("Choose “ranked” (ranked boards) or “bands” (bands only).")}
        )
    found, _created = RecognitionSettings.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    if found.boards != boards:
        before = {"boards": found.boards}
        found.boards = boards
        found.save(update_fields=["boards", "updated_at"])
        audit.record(
            "recognition.settings_changed",
            organisation=actor.organisation,
            actor=actor,
            target=None,
            before=before,
            after={"boards": boards},
        )
    return found


@transaction.atomic
def set_executive(actor: Actor, person: Person, executive: Any) -> Profile:
    """Puts the person on the executives' board (compared among executives, in no team),
    or takes them off it."""
    if not allowed(actor, "recognition.manage"):
        raise PermissionDenied
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    errors: dict[str, str] = {}
    chosen = _yes_or_no(errors, "executive", executive)
    if errors:
        raise ValidationError(errors)
    profile = Profile.objects.select_for_update().get(pk=profile_of(person).pk)
    if profile.executive != chosen:
        profile.executive = chosen
        profile.save(update_fields=["executive", "updated_at"])
        audit.record(
            "recognition.executive_set",
            organisation=actor.organisation,
            actor=actor,
            target=person,
            before={"executive": not chosen},
            after={"executive": chosen},
        )
    return profile
