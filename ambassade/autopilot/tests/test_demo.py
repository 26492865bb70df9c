"""The demo: the printed ambassador's autopilot is on, with one post in its preview
window; and a person's autopilot data, in their export, gone with their erasure."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.autopilot.models import Autopilot, AutopilotPost, Outcome
from ambassade.core import demo
from ambassade.core.personal_data import anonymise, collect
from ambassade.people.models import Person
from ambassade.sharing.models import TargetStatus

pytestmark = pytest.mark.django_db


def test_the_demo_ambassador_has_the_autopilot_on_and_erasure_forgets_it(client) -> None:
    demo.build(people=60, days=10, seed=3, today=date.today(), progress=lambda _: None)
    lucas = Person.objects.get(email="ambassadeur@verdier.example")
    pilot = Autopilot.objects.get(person=lucas)
    assert pilot.enabled and [c.name for c in pilot.channels.all()] == ["Recrutement"]
    queued = AutopilotPost.objects.get(person=lucas, outcome=Outcome.QUEUED)
    assert queued.target.status == TargetStatus.SCHEDULED
    client.force_login(lucas.user)
    page = client.get("/me/autopilot/").content.decode()
    assert f'id="autopilot-post-{queued.target_id}"' in page

    exported = collect(lucas)["autopilot"]
    assert exported["settings"]["channels"] == ["Recrutement"]
    assert {row["outcome"] for row in exported["items"]} == {"queued", "too_similar"}
    anonymise(lucas)
    assert not Autopilot.objects.filter(person=lucas).exists()
    assert not AutopilotPost.objects.filter(person=lucas).exists()
