"""Points earned from what happened elsewhere, through the domain events (core/events.py).

A share earns the program's share points once per person and item (posting the same item
on three networks is one share, not three), plus the personal bonus when its message is
below the organisation's similarity threshold: the same check the composer applies, so a
copy of the suggestion earns the base at most. Each entry's key makes a redelivered event
add nothing.
"""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import RuleKind
from ambassade.sharing.models import Share
from ambassade.sharing.selectors import settings_of


@subscribe("sharing.share_published")
@subscribe("sharing.share_declared")
def points_for_a_share(event: DomainEvent) -> None:
    share = (
        Share.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("share_id")
        )
        .select_related("person__organisation", "item__program", "organisation")
        .first()
    )
    if share is None or share.person.anonymised_at is not None:
        return
    program = share.item.program
    detail = {"item": share.item.title[:200], "network": event.payload.get("network", "")}
    once = f"{share.person_id}:{share.item_id}"
    rules = ledger.rules_of(program)  # read once for both kinds: this runs for every post
    ledger.earn(
        share.person,
        program,
        RuleKind.SHARE,
        key=f"share:{once}",
        event=event,
        detail=detail,
        rules=rules,
    )
    if share.similarity is None:
        return  # no bonus to weigh: the organisation's threshold need not be read
    threshold = settings_of(share.organisation).similarity_threshold
    if share.similarity < threshold:
        ledger.earn(
            share.person,
            program,
            RuleKind.PERSONAL,
            key=f"personal:{once}",
            event=event,
            detail={**detail, "similarity": share.similarity},
            rules=rules,
        )
