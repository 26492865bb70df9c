"""The notices of a crisis's start and end, to everyone, after the action committed."""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.crisis import notices
from ambassade.crisis.models import Crisis, Step


def _tell(event: DomainEvent, *, started: bool) -> None:
    crisis = Crisis.objects.filter(
        organisation_id=event.organisation_id or 0, pk=event.payload.get("crisis_id")
    ).first()
    if crisis is None:
        return
    sent = notices.tell_everyone(crisis, started=started, event_id=event.pk)
    kind = Step.Kind.START_NOTICES_SENT if started else Step.Kind.END_NOTICES_SENT
    # Run twice, the subscriber notifies nobody twice (event_id) nor writes the step twice.
    if not Step.objects.filter(crisis=crisis, kind=kind).exists():
        Step.objects.create(crisis=crisis, kind=kind, count=sent, actor_label="system")


@subscribe("crisis.started")
def crisis_started(event: DomainEvent) -> None:
    _tell(event, started=True)


@subscribe("crisis.ended")
def crisis_ended(event: DomainEvent) -> None:
    _tell(event, started=False)
