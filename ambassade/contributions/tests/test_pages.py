"""My contributions: list, log, edit and delete through the pages; others' are 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ambassade.contributions.models import Contribution
from ambassade.contributions.tests.conftest import contribution, enrol, today
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {
        "kind": "talk",
        "title": "Conférence au salon SIDO",
        "occurred_on": (today() - timedelta(days=3)).isoformat(),
        "program": "",
        "url": "https://sido-lyon.com/programme",
        "audience": "200 participants",
        "notes": "",
    }
    return data | changes


def test_an_ambassador_logs_a_contribution(persona, program, client_for) -> None:
    enrol(program, persona.ambassador)
    client = client_for(persona.ambassador)
    page = client.get("/me/contributions/")
    assert page.status_code == 200
    assert "Nothing logged yet." in page.content.decode()
    response = client.post("/me/contributions/", _form(program=str(program.pk)))
    assert response.status_code == 302
    logged = Contribution.objects.get()
    assert (logged.person, logged.program, logged.kind) == (persona.ambassador, program, "talk")
    event = AuditEvent.objects.get(action="contribution.added")
    assert event.after["title"] == "Conférence au salon SIDO"
    assert "Conférence au salon SIDO" in client.get("/me/contributions/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_on": (today() + timedelta(days=2)).isoformat()}, "This date is in the future"),
        ({"url": "ftp://example.com/talk"}, "starting with http:// or https://"),
        ({"url": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"title": "   "}, "Give the contribution a title."),
        ({"occurred_on": "31/03/2026"}, "Give a date such as 2026-03-31."),
        ({"occurred_on": "1024-03-01"}, "Check the year of this date."),
    ],
)
def test_wrong_input_is_refused_with_a_clear_message(persona, client_for, changes, message) -> None:
    response = client_for(persona.ambassador).post("/me/contributions/", _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contribution.objects.exists()


def test_an_ambassador_edits_and_deletes_their_contribution(persona, client_for) -> None:
    mine = contribution(persona.ambassador, today() - timedelta(days=10), "Ancien titre")
    client = client_for(persona.ambassador)
    edit = client.get(f"/me/contributions/{mine.pk}/edit")
    assert edit.status_code == 200
    assert "Ancien titre" in edit.content.decode()
    response = client.post(
        f"/me/contributions/{mine.pk}/edit",
        _form(title="Nouveau titre", occurred_on=mine.occurred_on.isoformat()),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Nouveau titre"
    changed = AuditEvent.objects.get(action="contribution.changed")
    assert changed.before["title"] == "Ancien titre"
    assert changed.after["title"] == "Nouveau titre"

    confirm = client.get(f"/me/contributions/{mine.pk}/delete")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Contribution.objects.filter(pk=mine.pk).exists()  # asking changes nothing
    assert client.post(f"/me/contributions/{mine.pk}/delete").status_code == 302
    assert not Contribution.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.get(action="contribution.deleted").before["title"] == "Nouveau titre"


def test_someone_elses_contribution_is_404(persona, client_for) -> None:
    theirs = contribution(persona.sales, today() - timedelta(days=10), "Leur conférence")
    for name in ("ambassador", "admin", "hr"):
        client = client_for(getattr(persona, name))
        assert client.get(f"/me/contributions/{theirs.pk}/edit").status_code == 404
        assert client.post(f"/me/contributions/{theirs.pk}/edit", _form()).status_code == 404
        assert client.get(f"/me/contributions/{theirs.pk}/delete").status_code == 404
        assert client.post(f"/me/contributions/{theirs.pk}/delete").status_code == 404
        assert "Leur conférence" not in client.get("/me/contributions/").content.decode()
    theirs.refresh_from_db()
    assert theirs.title == "Leur conférence"


def test_my_figures_links_to_my_contributions_and_report(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/me/figures/").content.decode()
    assert 'href="/me/contributions/"' in page
    assert 'href="/me/contributions/#report"' in page
