"""The demo's alumni ambassador signs in, sees items marked for alumni and may share."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ambassade.alumni.demo import LOGIN
from ambassade.alumni.models import DirectoryEntry
from ambassade.core import demo
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.programs.selectors import may_share

pytestmark = pytest.mark.django_db


def test_the_demo_alumni_has_a_working_space() -> None:
    demo.build(people=120, days=60, seed=3, today=date(2027, 3, 1), progress=lambda _: None)
    alumni = Person.objects.get(email=LOGIN)
    client = Client()
    client.force_login(alumni.user)
    for path in ["/feed/", "/me/programs/", "/me/accounts/", "/me/posts/", "/me/figures/"]:
        assert client.get(path).status_code == 200, path
    enrolment = Enrolment.objects.select_related("program").get(
        person=alumni, ambassador_type__kind="alumni"
    )
    assert may_share(alumni, enrolment.program)
    assert DirectoryEntry.objects.filter(person=alumni, listed=True).exists()
    assert "feed-card" in client.get("/feed/").content.decode()
