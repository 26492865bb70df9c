"""Before recording a departure, HR reads what will happen to the person's data and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_person_page_leads_to_a_confirmation_that_states_the_dates(persona, client_for) -> None:
    persona.organisation.retention_days_after_departure = 90
    persona.organisation.save()
    leaving = PersonFactory(organisation=persona.organisation, first_name="Hélène")
    client = client_for(persona.hr)
    page = client.get(f"/console/people/{leaving.pk}/").content.decode()
    assert f'href="/console/people/{leaving.pk}/left"' in page
    confirm = client.get(f"/console/people/{leaving.pk}/left")
    text = confirm.content.decode()
    assert confirm.status_code == 200
    leaving.refresh_from_db()
    assert leaving.employment_status == "active"  # nothing happens on the way in
    anonymised_on = timezone.localdate() + timedelta(days=91)
    assert "kept 90 days after the departure" in text
    assert date_format(anonymised_on, "DATE_FORMAT") in text
    assert "API tokens are revoked" in text and "social accounts are disconnected" in text
    assert client.post(f"/console/people/{leaving.pk}/left").status_code == 302
    leaving.refresh_from_db()
    assert leaving.employment_status == "left"


def test_an_alumni_is_told_their_data_stays(persona, client_for) -> None:
    alumni = PersonFactory(organisation=persona.organisation, alumni=True)
    text = client_for(persona.hr).get(f"/console/people/{alumni.pk}/left").content.decode()
    assert "stay an alumni ambassador: they keep only the alumni space" in text
    assert "then anonymised on" not in text
