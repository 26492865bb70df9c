"""What makes a credible professional presence on a network, item by item.

The items and their default explanations are ours (French and English through the
catalogue); the organisation may write its own explanation of any item
(``ChecklistExplanation``). The person ticks what their profile meets: nothing here reads
a profile, the coach checks by looking at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ambassade.coaching.models import ChecklistExplanation, ChecklistTick, ProfileReview
from ambassade.core.models import Organisation
from ambassade.people.models import Person

NETWORKS: dict[str, str] = {"linkedin": "LinkedIn", "bluesky": "Bluesky", "x": "X"}


@dataclass(frozen=True)
class Item:
    code: str
    label: Promise
    explanation: Promise


ITEMS: dict[str, Item] = {
    item.code: item
    for item in [
        Item(
            "photo",
            _("A recent, professional photo"),
            _(
                "A clear photo of your face, recent, with a plain background. People trust a "
                "face more than an initial or a logo."
            ),
        ),
        Item(
            "headline",
            _("A headline that says what you do"),
            _(
                "One line with your job and what you bring, in words your readers use, "
                "rather than only your title."
            ),
        ),
        Item(
            "employer",
            _("Your employer, named as the organisation recommends"),
            _(
                "Write the organisation's name exactly as it appears on its own page, and "
                "link to that page, so that your posts lead readers to it."
            ),
        ),
        Item(
            "summary",
            _("A short summary"),
            _(
                "Three to five sentences: what you work on, what you are proud of, what "
                "people may contact you about."
            ),
        ),
        Item(
            "separation",
            _("Professional and personal posts kept apart"),
            _(
                "Keep personal posts (family, politics, opinions) out of the profile you use "
                "for work, or on another account."
            ),
        ),
        Item(
            "privacy",
            _("Privacy settings checked"),
            _(
                "Check who sees your contacts, your e-mail address and your phone number; "
                "share only what you mean to."
            ),
        ),
    ]
}


def network_name(code: str) -> str:
    return NETWORKS.get(code, code)


def explanations(organisation: Organisation) -> dict[tuple[str, str], str]:
    """The organisation's own explanations, by (network, item)."""
    return {
        (row.network, row.item): row.text
        for row in ChecklistExplanation.objects.filter(organisation=organisation)
    }


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    explanation: str
    done: bool
    verdict: str  # "", "ok" or "improve": the coach's word at the last review
    comment: str


@dataclass(frozen=True)
class NetworkChecklist:
    network: str
    name: str
    lines: list[Line]
    open_review: ProfileReview | None
    last_review: ProfileReview | None

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)


def checklist_of(person: Person) -> list[NetworkChecklist]:
    """The person's checklist on each network, with the coach's last verdicts."""
    own = explanations(person.organisation)
    ticks = set(ChecklistTick.objects.filter(person=person).values_list("network", "item"))
    reviews = list(
        ProfileReview.objects.filter(organisation_id=person.organisation_id, person=person)
        .prefetch_related("verdicts")
        .order_by("-requested_at", "-id")
    )
    result = []
    for network, name in NETWORKS.items():
        mine = [review for review in reviews if review.network == network]
        open_review = next((r for r in mine if r.status == ProfileReview.Status.REQUESTED), None)
        last = next((r for r in mine if r.status == ProfileReview.Status.DONE), None)
        verdicts = {v.item: v for v in last.verdicts.all()} if last is not None else {}
        lines = [
            Line(
                code=code,
                label=str(item.label),
                explanation=own.get((network, code)) or str(item.explanation),
                done=(network, code) in ticks,
                verdict=verdicts[code].verdict if code in verdicts else "",
                comment=verdicts[code].comment if code in verdicts else "",
            )
            for code, item in ITEMS.items()
        ]
        result.append(NetworkChecklist(network, name, lines, open_review, last))
    return result


def profile_checked(person: Person) -> bool:
    """Every item ticked on at least one network: the first step "check your profile"."""
    ticked = ChecklistTick.objects.filter(person=person).values_list("network", "item")
    by_network: dict[str, set[str]] = {}
    for network, item in ticked:
        by_network.setdefault(network, set()).add(item)
    return any(set(ITEMS) <= items for items in by_network.values())
