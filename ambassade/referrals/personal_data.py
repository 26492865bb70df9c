"""What referrals knows about a person: the candidates they referred.

Erasure deletes the person's referrals (the candidates they named go with them: nobody
else is answerable for those rows). A candidate is not a person of the organisation:
their "no thanks" link, or HR's "erase" on request, deletes their row.
"""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.referrals.models import Referral


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@exporter("referrals")
def export_referrals(person: Person) -> list[dict[str, Any]]:
    found = Referral.objects.filter(referrer=person).select_related("offer").order_by("pk")
    return [
        {
            "offer": referral.offer.title,
            "candidate_name": referral.candidate_name,
            "candidate_email": referral.candidate_email,
            "note": referral.note,
            "status": referral.status,
            "referred_at": _time(referral.created_at),
            "confirmed_at": _time(referral.confirmed_at),
            "applied_at": _time(referral.applied_at),
        }
        for referral in found
    ]


@anonymiser
def forget_referrals(person: Person) -> None:
    Referral.objects.filter(referrer=person).delete()
