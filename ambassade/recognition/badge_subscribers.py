"""The training badge: a passed module may complete the person's required path.

Shares, conversions and challenges bring their badges through the ledger (ledger._insert);
passing a module is read from learning, so it has its own subscriber.
"""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.people.models import Person
from ambassade.recognition.badges import award_due
from ambassade.recognition.models import Criterion


@subscribe("learning.module_passed")
def badges_for_a_passed_module(event: DomainEvent) -> None:
    person = Person.objects.filter(
        organisation_id=event.organisation_id or 0, pk=event.payload.get("person_id")
    ).first()
    if person is not None:
        award_due(person, criteria=[Criterion.PATH_COMPLETED])
