"""What programs does when something happens below it (core/events.py, docs/events.md)."""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.people.models import Person


@subscribe("people.alumni_offer_ended")
def end_alumni_enrolments(event: DomainEvent) -> None:
    from ambassade.programs.actions.enrolments import end_alumni_enrolments as end

    person = Person.objects.filter(
        organisation=event.organisation, pk=event.payload["person_id"]
    ).first()
    if person is not None:
        end(person)
