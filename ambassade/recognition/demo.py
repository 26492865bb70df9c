"""Demo recognition: the points the demo's posts earned, by the programs' default rules.

The sharing step writes its posts directly (no event is recorded for them), so this step
gives their points the way the share subscriber would have: the share points once per
person and item, the personal bonus when the message is below the organisation's
similarity threshold, each rule's daily cap respected. About one ambassador in three
chose to appear on the boards, and the printed ambassador is one of them.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC

from ambassade.core.demo import DemoContext, demo_step
from ambassade.people.models import Person
from ambassade.recognition.ledger import DEFAULT_RULES
from ambassade.recognition.models import LedgerEntry, Profile, RuleKind
from ambassade.sharing.models import Share, TargetStatus
from ambassade.sharing.selectors import settings_of

PRINTED_AMBASSADOR = "ambassadeur@verdier.example"
EARNING = (TargetStatus.PUBLISHED, TargetStatus.DECLARED)


@demo_step(60)
def recognition(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    threshold = settings_of(organisation).similarity_threshold
    shares = (
        Share.objects.filter(organisation=organisation, targets__status__in=EARNING)
        .select_related("item")
        .order_by("created_at", "pk")
        .distinct()
    )
    entries: list[LedgerEntry] = []
    seen: set[tuple[int, int]] = set()
    per_day: Counter[tuple[int, int, str, object]] = Counter()
    for share in shares:
        once = (share.person_id, share.item_id)
        if once in seen:
            continue
        seen.add(once)
        kinds = [RuleKind.SHARE]
        if share.similarity is not None and share.similarity < threshold:
            kinds.append(RuleKind.PERSONAL)
        day = share.created_at.astimezone(UTC).date()
        for kind in kinds:
            rule = DEFAULT_RULES[kind]
            counted = (share.person_id, share.item.program_id, kind, day)
            if rule.daily_cap is not None and per_day[counted] >= rule.daily_cap:
                continue
            per_day[counted] += 1
            entries.append(
                LedgerEntry(
                    organisation=organisation,
                    person_id=share.person_id,
                    program_id=share.item.program_id,
                    reason=kind,
                    points=rule.points,
                    spendable=rule.points,
                    key=f"{kind}:{share.person_id}:{share.item_id}",
                    detail={"item": share.item.title[:200], "network": ""},
                    occurred_at=share.created_at,
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    earners = sorted({entry.person_id for entry in entries})
    on_boards = {person for person in earners if context.rng.random() < 0.33}
    printed = Person.objects.filter(organisation=organisation, email=PRINTED_AMBASSADOR).first()
    if printed is not None:
        on_boards.add(printed.pk)
    Profile.objects.bulk_create(
        [Profile(person_id=person, on_boards=True) for person in sorted(on_boards)],
        ignore_conflicts=True,
    )
    context.objects["points_entries"] = len(entries)


# The badges' (61) and rewards' (62) steps live in their own modules; importing them
# registers the steps.
from ambassade.recognition import demo_badges, demo_rewards  # noqa: E402, F401
