"""The demo: a consenting ambassador by mission whose report downloads, one who did not
consent, and a designated ambassador whose contributions show in his indicator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from ambassade.contributions.models import Contribution
from ambassade.core import demo
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_has_contributions_and_consents() -> None:
    today = date.today()
    demo.build(people=120, days=60, seed=3, today=today, progress=lambda _: None)
    mission = Enrolment.objects.filter(ambassador_type__kind="mission")
    consenting = mission.filter(contribution_report_consent=True)
    assert 0 < consenting.count() < mission.count()
    assert not Enrolment.objects.exclude(ambassador_type__kind="mission").filter(
        contribution_report_consent=True
    )
    samuel = Person.objects.get(email="ventes@verdier.example")
    helene = Person.objects.get(email="rh@verdier.example")
    assert samuel.enrolments.filter(contribution_report_consent=True).exists()
    assert not helene.enrolments.filter(contribution_report_consent=True).exists()
    assert Contribution.objects.filter(person__email="ambassadeur@verdier.example").count() == 3
    assert Contribution.objects.filter(person=samuel).exists()

    program = samuel.enrolments.filter(contribution_report_consent=True).first().program
    start, end = today - timedelta(days=364), today
    query = f"program={program.pk}&start={start}&end={end}&format=pdf"
    client = Client()
    client.force_login(helene.user)
    assert (
        client.get(f"/console/contributions/people/{samuel.pk}/report/?{query}").status_code == 200
    )
    assert client.get(f"/me/contributions/report/?{query}").status_code == 403
