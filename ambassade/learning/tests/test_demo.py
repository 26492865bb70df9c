"""The demo: a path in French and English, people at every stage of it, and the printed
ambassador free to share at once."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.learning.models import Module, ModuleVersion
from ambassade.learning.selectors import path_of
from ambassade.people.models import Person
from ambassade.programs.selectors import may_connect, may_share

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_path_and_people_at_every_stage(client) -> None:
    demo.build(people=120, days=30, seed=3, today=date.today(), progress=lambda _: None)
    assert set(Module.objects.values_list("title_fr", flat=True)) == {
        "Bien démarrer",
        "Nos règles de publication",
        "LinkedIn : soigner son profil",
    }
    assert ModuleVersion.objects.count() == 3
    ambassador = Person.objects.get(email="ambassadeur@verdier.example")
    for enrolment in ambassador.enrolments.select_related("program"):
        assert may_share(ambassador, enrolment.program, "linkedin").allowed
    assert may_connect(ambassador, "linkedin").allowed
    states = {
        entry.state
        for person in Person.objects.filter(enrolments__isnull=False).distinct()
        for entry in path_of(person)
        if entry.required
    }
    assert states == {"passed", "to_do", "expired"}
    client.force_login(Person.objects.get(email="rh@verdier.example").user)
    page = client.get("/console/learning/").content.decode()
    assert "Nos règles de publication" in page or "Our publishing rules" in page
