"""What the contributions app knows about a person: the contributions they logged.

Contributions describe the person (their talks, their articles), and no program total
is made of them, so erasure deletes them; the consent to the report is withdrawn too,
as nobody is left to give it.
"""

from __future__ import annotations

from typing import Any

from ambassade.contributions.models import Contribution
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment


@exporter("contributions")
def export_contributions(person: Person) -> dict[str, Any]:
    contributions = Contribution.objects.filter(person=person).select_related("program")
    consents = Enrolment.objects.filter(person=person).select_related("program")
    return {
        "contributions": [
            {
                "kind": contribution.kind,
                "title": contribution.title,
                "occurred_on": contribution.occurred_on.isoformat(),
                "program": contribution.program.name if contribution.program else None,
                "url": contribution.url,
                "audience": contribution.audience,
                "notes": contribution.notes,
                "created_at": contribution.created_at.isoformat(),
                "updated_at": contribution.updated_at.isoformat(),
            }
            for contribution in contributions.order_by("occurred_on", "pk")
        ],
        "contribution_report_consent": {
            enrolment.program.name: enrolment.contribution_report_consent for enrolment in consents
        },
    }


@anonymiser
def forget_contributions(person: Person) -> None:
    Contribution.objects.filter(person=person).delete()
    Enrolment.objects.filter(person=person).update(contribution_report_consent=False)
