"""Every write of training: modules, their quiz and requirements, publication, attempts.

Each action checks the actor's permission, validates everything before writing (a
ValidationError naming the fields, nothing half-written), and writes its audit row and
events in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content import images
from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.learning.models import (
    Module,
    ModuleStatus,
    ModuleVersion,
    Requirement,
)
from ambassade.people.models import Person
from ambassade.programs import charter
from ambassade.programs.models import AmbassadorKind, AmbassadorType

MODULE_FIELDS = (
    "title_fr",
    "title_en",
    "lesson_fr",
    "lesson_en",
    "video_url",
    "duration_minutes",
    "pass_mark",
    "questions_per_attempt",
    "refresher_months",
    "image_alt",
)
LESSON_LIMIT = 20_000
MAX_CHOICES = 8
MAX_QUESTIONS = 200


def _manager(actor: Actor) -> Person | None:
    if not allowed(actor, "learning.manage"):
        raise PermissionDenied
    return actor.person


def _taker(actor: Actor) -> Person:
    if not allowed(actor, "learning.take") or actor.person is None:
        raise PermissionDenied
    return actor.person


def _own_module(actor: Actor, module: Module) -> None:
    if module.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _integer(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _text(
    values: dict[str, Any],
    name: str,
    limit: int,
    errors: dict[str, str],
    *,
    needed: bool,
    missing: str = "",
) -> str:
    text = (values.get(name) or "").strip()
    if needed and not text:
        errors[name] = missing or _("This field is required.")
    elif len(text) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return text


def _clean_module(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    cleaned["title_fr"] = _text(
        values, "title_fr", 200, errors, needed=True, missing=_("Give the module a French title.")
    )
    cleaned["title_en"] = _text(
        values, "title_en", 200, errors, needed=True, missing=_("Give the module an English title.")
    )
    for name in ("lesson_fr", "lesson_en"):
        cleaned[name] = _text(values, name, LESSON_LIMIT, errors, needed=False)
    cleaned["image_alt"] = _text(values, "image_alt", 300, errors, needed=False)
    url = (values.get("video_url") or "").strip()
    cleaned["video_url"] = url
    if url:
        try:
            URLValidator(schemes=["https"])(url)
        except ValidationError:
            errors["video_url"] = _(
                "Give the video's address on your organisation's own host, starting with https://."
            )
        if len(url) > 2048:
            errors["video_url"] = _("The address is longer than 2,048 characters.")
    if not _integer(values.get("duration_minutes"), 1, 600):
        errors["duration_minutes"] = _("Give the estimated duration in minutes, from 1 to 600.")
    else:
        cleaned["duration_minutes"] = values["duration_minutes"]
    if not _integer(values.get("pass_mark"), 1, 100):
        errors["pass_mark"] = _("The pass mark is a percentage from 1 to 100.")
    else:
        cleaned["pass_mark"] = values["pass_mark"]
    if not _integer(values.get("questions_per_attempt"), 0, MAX_QUESTIONS):
        errors["questions_per_attempt"] = _(
            "Give how many questions each attempt draws, from 1 to 200 (0: all of them)."
        )
    else:
        cleaned["questions_per_attempt"] = values["questions_per_attempt"]
    months = values.get("refresher_months")
    if months is not None and not _integer(months, 1, 120):
        errors["refresher_months"] = _(
            "Give the refresher period in months, from 1 to 120, or leave it empty."
        )
    cleaned["refresher_months"] = months
    if errors:
        raise ValidationError(errors)
    return cleaned


def _values_of(module: Module) -> dict[str, Any]:
    return {name: getattr(module, name) for name in MODULE_FIELDS}


@transaction.atomic
def create_module(actor: Actor, **values: Any) -> Module:
    person = _manager(actor)
    defaults = {
        "duration_minutes": 10,
        "pass_mark": 80,
        "questions_per_attempt": 0,
        "refresher_months": None,
    }
    cleaned = _clean_module({**defaults, **values})
    module = Module.objects.create(organisation=actor.organisation, created_by=person, **cleaned)
    audit.record(
        "learning.module_created",
        organisation=actor.organisation,
        actor=actor,
        target=module,
        after={k: v for k, v in cleaned.items() if not k.startswith("lesson")},
    )
    return module


@transaction.atomic
def change_module(actor: Actor, module: Module, **changes: Any) -> Module:
    _manager(actor)
    _own_module(actor, module)
    unknown = set(changes) - set(MODULE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    before = _values_of(module)
    cleaned = _clean_module({**before, **changes})
    for name, value in cleaned.items():
        setattr(module, name, value)
    module.save()
    audit.record(
        "learning.module_changed",
        organisation=actor.organisation,
        actor=actor,
        target=module,
        before={k: before[k] for k in changes if not k.startswith("lesson")},
        after={k: cleaned[k] for k in changes if not k.startswith("lesson")},
    )
    return module


def set_image(actor: Actor, module: Module, data: bytes) -> Module:
    """Stores an uploaded image re-encoded (as content images are) and attaches it."""
    _manager(actor)
    _own_module(actor, module)
    try:
        stored = images.store(data, folder=f"learning/{module.organisation_id}")
    except images.ImageError as error:
        raise ValidationError({"image": error.message}) from None
    with transaction.atomic():
        module.image = stored.name
        module.save(update_fields=["image", "updated_at"])
        audit.record(
            "learning.module_image", organisation=actor.organisation, actor=actor, target=module
        )
    return module


@transaction.atomic
def remove_module(actor: Actor, module: Module) -> str:
    """A module never published is deleted; a published one is archived, its results kept.
    Returns "deleted" or "archived"."""
    _manager(actor)
    _own_module(actor, module)
    if not module.versions.exists():
        audit.record(
            "learning.module_deleted", organisation=actor.organisation, actor=actor, target=module
        )
        module.delete()
        return "deleted"
    module.status = ModuleStatus.ARCHIVED
    module.save(update_fields=["status", "updated_at"])
    audit.record(
        "learning.module_archived", organisation=actor.organisation, actor=actor, target=module
    )
    return "archived"


def network_codes() -> set[str]:
    from ambassade.sharing.actions.shares import share_link_networks
    from ambassade.sharing.networks.base import REGISTRY

    return set(REGISTRY) | set(share_link_networks())


@transaction.atomic
def add_requirement(
    actor: Actor,
    module: Module,
    *,
    ambassador_type: str = "",
    network: str = "",
    required: bool = True,
) -> Requirement:
    """``ambassador_type``: a kind code ("supporter"), empty for every ambassador;
    ``network``: a network code, empty for any share."""
    _manager(actor)
    _own_module(actor, module)
    errors: dict[str, str] = {}
    kind = None
    if ambassador_type:
        kind = AmbassadorType.objects.filter(
            organisation=actor.organisation, kind=ambassador_type
        ).first()
        if kind is None:
            known = dict(AmbassadorKind.choices)
            errors["ambassador_type"] = _(
                "Your organisation has no ambassador type “%(type)s”."
            ) % {"type": known.get(ambassador_type, ambassador_type[:40])}
    if network and network not in network_codes():
        errors["network"] = _("Unknown network: %s") % network[:32]
    if errors:
        raise ValidationError(errors)
    same = Requirement.objects.filter(module=module, ambassador_type=kind, network=network)
    if same.exists():
        raise ValidationError(
            {"ambassador_type": _("This module is already set for this type and network.")}
        )
    requirement = Requirement.objects.create(
        module=module, ambassador_type=kind, network=network, required=required is True
    )
    audit.record(
        "learning.requirement_added",
        organisation=actor.organisation,
        actor=actor,
        target=module,
        after={"ambassador_type": ambassador_type, "network": network, "required": required},
    )
    return requirement


@transaction.atomic
def remove_requirement(actor: Actor, requirement: Requirement) -> None:
    _manager(actor)
    module = requirement.module
    _own_module(actor, module)
    before = {
        "ambassador_type": requirement.ambassador_type.kind if requirement.ambassador_type else "",
        "network": requirement.network,
        "required": requirement.required,
    }
    requirement.delete()
    audit.record(
        "learning.requirement_removed",
        organisation=actor.organisation,
        actor=actor,
        target=module,
        before=before,
    )


def _pool(module: Module) -> list[dict[str, Any]]:
    pool = []
    for question in module.questions.prefetch_related("choices"):
        pool.append(
            {
                "id": question.pk,
                "text": {"fr": question.text_fr, "en": question.text_en},
                "multiple": question.multiple,
                "choices": [
                    {
                        "id": choice.pk,
                        "text": {"fr": choice.text_fr, "en": choice.text_en},
                        "correct": choice.correct,
                        "feedback": {"fr": choice.feedback_fr, "en": choice.feedback_en},
                    }
                    for choice in question.choices.all()
                ],
            }
        )
    return pool


@transaction.atomic
def publish_module(actor: Actor, module: Module) -> ModuleVersion:
    """Freezes the module as a new version people read and are scored against. Publishing
    again without a change is refused; an archived module comes back as it was."""
    person = _manager(actor)
    _own_module(actor, Module.objects.select_for_update().get(pk=module.pk))
    module.refresh_from_db()
    pool = _pool(module)
    errors: dict[str, str] = {}
    if not pool:
        errors["questions"] = _("Add at least one question: a module is passed through its quiz.")
    elif module.questions_per_attempt > len(pool):
        errors["questions_per_attempt"] = _(
            "Each attempt draws %(drawn)d questions but the pool has only %(pool)d."
        ) % {"drawn": module.questions_per_attempt, "pool": len(pool)}
    for question in pool:
        right = sum(1 for choice in question["choices"] if choice["correct"])
        if len(question["choices"]) < 2 or right == 0:
            errors["questions"] = _("Each question needs at least two answers, one of them right.")
    if not (module.lesson_fr.strip() or module.lesson_en.strip()):
        errors["lesson_fr"] = _("Write the lesson, in French and in English.")
    if errors:
        raise ValidationError(errors)
    frozen = {
        "title_fr": module.title_fr,
        "title_en": module.title_en,
        "lesson_fr": charter.render(module.lesson_fr or module.lesson_en),
        "lesson_en": charter.render(module.lesson_en or module.lesson_fr),
        "image": module.image,
        "image_alt": module.image_alt,
        "video_url": module.video_url,
        "duration_minutes": module.duration_minutes,
        "pass_mark": module.pass_mark,
        "questions_per_attempt": module.questions_per_attempt,
        "questions": pool,
    }
    fingerprint = hashlib.sha256(
        json.dumps(frozen, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    latest = module.versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == fingerprint:
        if module.status == ModuleStatus.PUBLISHED:
            raise ValidationError(
                _("Nothing changed since version %(number)d: it is already published.")
                % {"number": latest.number}
            )
        version = latest
    else:
        version = ModuleVersion.objects.create(
            module=module,
            number=(latest.number + 1) if latest else 1,
            fingerprint=fingerprint,
            published_by=person,
            **frozen,
        )
    module.status = ModuleStatus.PUBLISHED
    module.save(update_fields=["status", "updated_at"])
    audit.record(
        "learning.module_published",
        organisation=actor.organisation,
        actor=actor,
        target=module,
        after={"version": version.number},
    )
    events.record(
        "learning.module_published",
        actor.organisation,
        module_id=module.pk,
        version=version.number,
        title_fr=module.title_fr,
        title_en=module.title_en,
    )
    return version
