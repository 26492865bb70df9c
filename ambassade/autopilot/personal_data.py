"""What the autopilot knows about a person: their settings (their words, channels,
accounts) and what it did with each item for them.

Erasure deletes both; the posts it queued are sharing's, erased by sharing.
"""

from __future__ import annotations

from typing import Any

from ambassade.autopilot.models import Autopilot, AutopilotPost
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person


@exporter("autopilot")
def export_autopilot(person: Person) -> dict[str, Any]:
    pilot = Autopilot.objects.filter(person=person).first()
    return {
        "settings": (
            {
                "enabled": pilot.enabled,
                "template": pilot.template,
                "per_week": pilot.per_week,
                "channels": sorted(pilot.channels.values_list("name", flat=True)),
                "accounts": sorted(
                    f"{network} {handle}"
                    for network, handle in pilot.accounts.values_list("network", "handle")
                ),
            }
            if pilot is not None
            else None
        ),
        "items": [
            {
                "item": title,
                "outcome": outcome,
                "reason": reason,
                "share_target": target_id,
                "at": at.isoformat(),
            }
            for title, outcome, reason, target_id, at in AutopilotPost.objects.filter(person=person)
            .order_by("created_at", "pk")
            .values_list("item__title", "outcome", "reason", "target_id", "created_at")
        ],
    }


@anonymiser
def forget_autopilot(person: Person) -> None:
    AutopilotPost.objects.filter(person=person).delete()
    Autopilot.objects.filter(person=person).delete()
