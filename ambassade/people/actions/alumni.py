"""Ending the alumni offer: the person stops, or HR closes it (a direct competitor, say).

People sits below programs and sharing: it records ``people.alumni_offer_ended`` in the
same transaction, and they end the alumni enrolments, cancel the queued posts and forget
the accounts' tokens (docs/decisions/0039-alumni-ambassadors.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor
from ambassade.people import notifications
from ambassade.people.actions._common import _require, _same_organisation
from ambassade.people.models import EmploymentStatus, Person

REASON_LIMIT = 1000


def is_alumni_ambassador(person: Person) -> bool:
    return person.employment_status == EmploymentStatus.LEFT and person.alumni


def announce_alumni_end(person: Person, by: str) -> None:
    """The event higher apps act on; ``by`` is "person" or "organisation"."""
    events.record(
        "people.alumni_offer_ended",
        person.organisation,
        person_id=person.pk,
        by=by,
        ended_at=timezone.now().isoformat(),
    )


@transaction.atomic
def end_alumni_offer(actor: Actor, person: Person, *, reason: str) -> Person:
    """HR closes someone's alumni space. The reason stays in the audit log; the person
    gets a neutral message that does not repeat it."""
    _require(actor, "alumni.end_offer")
    _same_organisation(actor, person)
    reason = " ".join((reason or "").split())[:REASON_LIMIT]
    if not reason:
        raise ValidationError({"reason": _("Say why: the reason stays in the audit log.")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not is_alumni_ambassador(person):
        raise ValidationError(_("This person is not an alumni ambassador."))
    person.alumni = False
    person.alumni_since = None
    person.save(update_fields=["alumni", "alumni_since"])
    person.__dict__.pop("role_set", None)
    audit.record(
        "person.alumni_offer_ended",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        before={"alumni": True},
        after={"alumni": False, "reason": reason},
    )
    announce_alumni_end(person, "organisation")
    notifications.alumni_space_closed(person)
    return person
