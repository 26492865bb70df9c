"""What delegation knows about a person: whom they named as delegates and for whom they
write, and the drafts on either side.

Erasure deletes every delegation the person was part of, either side, and so their
drafts; an approved draft's share is sharing's own and stays under sharing's rules.
"""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.delegation.models import Delegation, Draft
from ambassade.people.models import Person


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _delegation(delegation: Delegation) -> dict[str, Any]:
    return {
        "principal": delegation.principal.full_name,
        "delegate": delegation.delegate.full_name,
        "granted_at": _time(delegation.granted_at),
        "ended_at": _time(delegation.ended_at),
    }


def _draft(draft: Draft) -> dict[str, Any]:
    return {
        "principal": draft.delegation.principal.full_name,
        "delegate": draft.delegation.delegate.full_name,
        "item": draft.item.title,
        "text": draft.text,
        "status": draft.status,
        "written_at": _time(draft.written_at),
        "decided_at": _time(draft.decided_at),
        "note": draft.note,
    }


@exporter("delegation")
def export_delegation(person: Person) -> dict[str, Any]:
    delegations = Delegation.objects.select_related("principal", "delegate")
    drafts = Draft.objects.select_related(
        "delegation__principal", "delegation__delegate", "item"
    ).order_by("written_at", "pk")
    return {
        "delegates": [_delegation(d) for d in delegations.filter(principal=person)],
        "writes_for": [_delegation(d) for d in delegations.filter(delegate=person)],
        "drafts_for_me": [_draft(d) for d in drafts.filter(delegation__principal=person)],
        "drafts_by_me": [_draft(d) for d in drafts.filter(delegation__delegate=person)],
    }


@anonymiser
def forget_delegation(person: Person) -> None:
    Delegation.objects.filter(principal=person).delete()
    Delegation.objects.filter(delegate=person).delete()
    Delegation.objects.filter(ended_by=person).update(ended_by=None)
