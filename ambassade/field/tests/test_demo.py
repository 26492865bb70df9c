"""The demo: field reports in each state, the sales team's queue holding a new lead, and
the converted lead counted as a conversion of Lucas's program."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.core.authz import actor_for_person
from ambassade.field import routing
from ambassade.field.models import FieldReport
from ambassade.people.models import Person
from ambassade.tracking.models import Conversion

pytestmark = pytest.mark.django_db


def test_the_demo_has_field_reports_in_each_state(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    demo.build(people=60, days=10, seed=3, today=date.today(), progress=lambda _: None)
    assert set(FieldReport.objects.values_list("status", flat=True)) == {
        "new",
        "in_progress",
        "useful",
        "duplicate",
    }
    sales = Person.objects.get(email="ventes@verdier.example")
    assert routing.queue(actor_for_person(sales)).filter(status="new").count() == 1
    conversion = Conversion.objects.get(source="field")
    lead = FieldReport.objects.get(converted_at__isnull=False)
    assert (conversion.kind, conversion.person_id) == ("lead", lead.reporter_id)
    assert conversion.link.program_id == lead.program_id
