"""The demo: the printed ambassador has the demo coach, threads answered and one open,
profile reviews, and the figures the overview shows. And a person's coaching data: in
their export, gone with their erasure."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.coaching.models import ProfileReview, Question
from ambassade.coaching.selectors import ambassadors_of, coach_of, overview
from ambassade.core import demo
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_coach_coaches_the_printed_ambassador() -> None:
    demo.build(people=60, days=10, seed=3, today=date.today(), progress=lambda _: None)
    lucas = Person.objects.get(email="ambassadeur@verdier.example")
    claire = Person.objects.get(email="coach@verdier.example")
    assert coach_of(lucas) == claire
    assert ambassadors_of(claire).count() > 1
    assert Question.objects.filter(first_answered_at__isnull=False).count() == 3
    assert Question.objects.filter(ambassador=lucas, first_answered_at__isnull=True).count() == 1
    assert set(ProfileReview.objects.values_list("status", flat=True)) == {"done", "requested"}
    (row,) = [row for row in overview(claire.organisation_id) if row.coach == claire]
    assert row.answered == 3 and row.median_first_answer is not None


def test_erasure_forgets_the_questions_and_export_gives_them(coached) -> None:
    from ambassade.coaching import actions
    from ambassade.core.authz import actor_for_person
    from ambassade.core.personal_data import anonymise, collect

    question = actions.ask(actor_for_person(coached.ambassador), "Ma question privée")
    actions.reply(actor_for_person(coached.coach), question.pk, "Ma réponse")
    exported = collect(coached.ambassador)["coaching"]
    assert exported["questions"][0]["text"] == "Ma question privée"
    assert exported["coach"] == coached.coach.full_name
    anonymise(coached.ambassador)
    assert not Question.objects.exists()
    assert coach_of(coached.ambassador) is None
