"""HR and admins correct a person's points (fraud, a mistake) from the console and the
API: a new, audited entry the person reads with its reason; bad input is a clear error;
nobody else may, and another organisation's people are not found."""

from __future__ import annotations

import json

import pytest

from ambassade.core.models import AuditEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, LedgerEntry
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(persona, program):
    """The ambassador earned 10 points for a share (the entry a correction may cancel)."""
    return LedgerEntry.objects.create(
        organisation=persona.organisation,
        person=persona.ambassador,
        program=program,
        reason=EntryReason.SHARE,
        points=10,
        spendable=10,
        key=f"share:{persona.ambassador.pk}:1",
        detail={"item": "Nous recrutons à Lyon"},
    )


def _send(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_hr_corrects_from_the_console_and_the_person_reads_why(persona, client_for, earned) -> None:
    hr = client_for(persona.hr)
    found = hr.get(f"/console/recognition/corrections/?email={persona.ambassador.email.upper()}")
    page_url = f"/console/recognition/people/{persona.ambassador.pk}/points/"
    assert found.status_code == 302 and found["Location"] == page_url
    assert "Nous recrutons à Lyon" in hr.get(page_url).content.decode()
    done = hr.post(page_url, {"points": "-10", "note": "Clics d'un script", "corrects": earned.pk})
    assert done.status_code == 302
    assert ledger.balances(persona.ambassador) == ledger.Balances(0, 0)
    correction = LedgerEntry.objects.get(reason=EntryReason.CORRECTION)
    assert correction.corrects == earned and correction.created_by == persona.hr
    assert LedgerEntry.objects.get(pk=earned.pk).points == 10  # never edited
    assert AuditEvent.objects.filter(action="recognition.points_corrected").count() == 1
    mine = client_for(persona.ambassador).get("/me/recognition/").content.decode()
    assert "Clics d&#x27;un script" in mine or "Clics d'un script" in mine


def test_bad_corrections_are_refused_with_their_reasons(persona, client_for, earned) -> None:
    hr = client_for(persona.hr)
    page_url = f"/console/recognition/people/{persona.ambassador.pk}/points/"
    refused = hr.post(page_url, {"points": "0", "note": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "not 0" in html and "Say why" in html
    api = f"/api/v1/recognition/people/{persona.ambassador.pk}/corrections"
    answer = _send(hr, api, {"points": 500000, "note": "?"})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "points"
    someone_else = LedgerEntry.objects.create(
        organisation=persona.organisation,
        person=persona.marketer,
        reason=EntryReason.SHARE,
        points=10,
        spendable=10,
        key="share:other",
    )
    answer = _send(hr, api, {"points": -10, "note": "Erreur", "corrects_id": someone_else.pk})
    assert answer.status_code == 422 and "someone else" in answer.content.decode()
    assert not LedgerEntry.objects.filter(reason=EntryReason.CORRECTION).exists()


def test_the_api_reads_and_corrects(persona, client_for, earned) -> None:
    admin = client_for(persona.admin)
    base = f"/api/v1/recognition/people/{persona.ambassador.pk}"
    made = _send(admin, f"{base}/corrections", {"points": 25, "note": "Oubli du salon"})
    assert made.status_code == 201, made.content
    assert made.json()["reason"] == "correction" and made.json()["note"] == "Oubli du salon"
    read = admin.get(f"{base}/points").json()
    assert read["balances"] == {"lifetime": 35, "spendable": 35}
    assert [line["points"] for line in read["items"]] == [25, 10]


@pytest.mark.parametrize("who", ["ambassador", "marketer", "comms", "coach", "sales"])
def test_only_hr_and_admins_correct(persona, client_for, earned, who) -> None:
    client = client_for(getattr(persona, who))
    base = f"/api/v1/recognition/people/{persona.ambassador.pk}"
    assert (
        client.get(f"/console/recognition/people/{persona.ambassador.pk}/points/").status_code
        == 403
    )
    assert client.get(f"{base}/points").status_code == 403
    assert _send(client, f"{base}/corrections", {"points": 5, "note": "x"}).status_code == 403
    assert ledger.balances(persona.ambassador).lifetime == 10


def test_another_organisations_people_are_not_found(persona, client_for, earned) -> None:
    outsider = client_for(persona.outsider)  # an admin elsewhere
    base = f"/api/v1/recognition/people/{persona.ambassador.pk}"
    assert (
        outsider.get(f"/console/recognition/people/{persona.ambassador.pk}/points/").status_code
        == 404
    )
    assert outsider.get(f"{base}/points").status_code == 404
    assert _send(outsider, f"{base}/corrections", {"points": 5, "note": "x"}).status_code == 404
    gone = outsider.get(f"/console/recognition/corrections/?email={persona.ambassador.email}")
    assert gone.status_code == 302 and gone["Location"] == "/console/recognition/"


def test_the_correction_page_speaks_french(persona, client_for, earned) -> None:
    persona.hr.user.language = "fr"
    persona.hr.user.save()
    url = f"/console/recognition/people/{persona.ambassador.pk}/points/"
    client = client_for(persona.hr)
    for page in (client.get(url), client.post(url, {"points": "0", "note": ""})):
        assert "Corriger les points" in page.content.decode()
        assert FrenchReader().problems_in_page(url, page.content.decode()) == set()
