"""Candidates: the self-assessment people fill in and the notes HR keeps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people.actions._common import _require, _same_organisation
from ambassade.people.models import HrNote, Membership, Person, SelfAssessment

# --- Candidates: self-assessment and HR notes -------------------------------------------


@transaction.atomic
def save_self_assessment(actor: Actor, answers: dict[str, Any]) -> SelfAssessment:
    _require(actor, "self_assessment.fill")
    if actor.person is None:
        raise PermissionDenied
    if actor.person.membership == Membership.PARTNER:
        raise ValidationError(_("Partners are not asked for a self-assessment."))
    errors: dict[str, str] = {}
    for name in ("social_comfort", "motivation", "willingness_to_learn"):
        value = answers.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Choose a value from 1 to 5.")
    networks = list(dict.fromkeys(answers.get("networks") or []))
    known = {code for code, _label in SelfAssessment.NETWORKS}
    if set(networks) - known:
        errors["networks"] = _("Unknown networks: %s") % ", ".join(sorted(set(networks) - known))
    comment = (answers.get("comment") or "").strip()
    if len(comment) > 2000:
        errors["comment"] = _("The comment is longer than 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    assessment, created = SelfAssessment.objects.update_or_create(
        person=actor.person,
        defaults={
            "social_comfort": answers["social_comfort"],
            "motivation": answers["motivation"],
            "willingness_to_learn": answers["willingness_to_learn"],
            "networks": networks,
            "comment": comment,
        },
    )
    # The answers themselves stay out of the audit log, which admins read.
    audit.record(
        "self_assessment.saved",
        organisation=actor.organisation,
        actor=actor,
        target=actor.person,
        after={"created": created},
    )
    return assessment


@transaction.atomic
def withdraw_self_assessment(actor: Actor) -> None:
    _require(actor, "self_assessment.fill")
    deleted, _ = SelfAssessment.objects.filter(person=actor.person).delete()
    if deleted:
        audit.record(
            "self_assessment.withdrawn",
            organisation=actor.organisation,
            actor=actor,
            target=actor.person,
        )


@transaction.atomic
def add_hr_note(actor: Actor, person: Person, text: str) -> HrNote:
    _require(actor, "hr.notes")
    _same_organisation(actor, person)
    if person.membership == Membership.PARTNER:
        raise ValidationError({"text": _("A partner has no HR notes.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("The note is longer than 5,000 characters.")})
    note = HrNote.objects.create(
        person=person,
        author=actor.person,
        author_label=actor.label,
        text=text,
    )
    # Admins read the audit log without being HR: record that a note exists, not its text.
    audit.record("hr_note.added", organisation=actor.organisation, actor=actor, target=person)
    return note
