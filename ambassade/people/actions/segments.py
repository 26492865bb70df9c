"""Saved segments: named audiences, written with an audit row like every change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people import audiences
from ambassade.people.actions._common import _require
from ambassade.people.models import SavedSegment


def _checked_name(actor: Actor, name: str, segment: SavedSegment | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the segment a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is too long (120 characters at most).")})
    taken = SavedSegment.objects.filter(organisation=actor.organisation, name=name)
    if segment is not None:
        taken = taken.exclude(pk=segment.pk)
    if taken.exists():
        raise ValidationError({"name": _("A segment already has this name.")})
    return name


@transaction.atomic
def save_segment(
    actor: Actor,
    *,
    name: str,
    criteria: Mapping[str, Iterable[str]],
    segment: SavedSegment | None = None,
) -> SavedSegment:
    """Creates a segment, or changes ``segment``; its criteria must be known choices."""
    _require(actor, "audiences.manage")
    if segment is not None and segment.organisation_id != actor.organisation.pk:
        raise ValidationError(_("Unknown segment."))
    name = _checked_name(actor, name, segment)
    cleaned = audiences.clean(actor.organisation, criteria)
    if not cleaned:
        raise ValidationError(_("Choose at least one criterion: a segment of everyone is useless."))
    before = None
    if segment is None:
        segment = SavedSegment(organisation=actor.organisation, created_by=actor.person)
    else:
        before = {"name": segment.name, "criteria": segment.criteria}
    segment.name = name
    segment.criteria = cleaned
    segment.save()
    audit.record(
        "segment.saved" if before is None else "segment.changed",
        organisation=actor.organisation,
        actor=actor,
        target=segment,
        before=before,
        after={"name": name, "criteria": cleaned},
    )
    return segment


@transaction.atomic
def delete_segment(actor: Actor, segment: SavedSegment) -> None:
    _require(actor, "audiences.manage")
    if segment.organisation_id != actor.organisation.pk:
        raise ValidationError(_("Unknown segment."))
    audit.record(
        "segment.deleted",
        organisation=actor.organisation,
        actor=actor,
        target=segment,
        before={"name": segment.name, "criteria": segment.criteria},
    )
    segment.delete()


def record_people_export(actor: Actor, count: int) -> None:
    """A CSV of people leaves the application: the audit log says who took how many."""
    _require(actor, "people.manage")
    audit.record(
        "people.exported", organisation=actor.organisation, actor=actor, after={"people": count}
    )
