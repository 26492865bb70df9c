"""Recognition's answers to the people app's questions: the challenges under way on the
person's landing page, with where they stand."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ambassade.people.signals import landing


@receiver(landing, dispatch_uid="recognition.landing")
def challenges_under_way(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ambassade.people.landing import Card
    from ambassade.recognition.progress import open_for

    url = reverse("recognition:challenge_mine")
    cards = []
    for row in open_for(person):
        challenge = row.progress.challenge
        if row.done:
            text = _("Completed: its points are yours.")
        elif row.progress.collective:
            text = _("Everyone together: %(total)s of %(target)s. Mine: %(mine)s.") % {
                "total": row.progress.total,
                "target": challenge.target,
                "mine": row.mine,
            }
        else:
            text = _("Mine: %(mine)s of %(target)s.") % {
                "mine": row.mine,
                "target": challenge.target,
            }
        cards.append(Card("progress", challenge.name, url, text=text))
    return cards
