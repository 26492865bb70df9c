"""The badges' pages: marketing creates a badge in the console (a name taken refused next
to the field, an unreadable image refused), an ambassador may not; the person sees their
badges and what earns the others, chooses whether colleagues see them (a colleague gets a
404 once hidden); French readers meet no English."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ambassade.core.models import AuditEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import Badge, BadgeAward, Criterion, Profile, RuleKind
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db
BADGE = {
    "name": "Première voix",
    "description": "Un premier partage avec vos propres mots.",
    "criterion": Criterion.FIRST_PERSONAL_SHARE,
    "threshold": "1",
}


def _picture(kind: str = "PNG") -> io.BytesIO:
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), "gold").save(picture, kind)
    picture.seek(0)
    picture.name = "badge.png"
    return picture


def test_marketing_creates_a_badge_and_a_name_taken_is_refused(
    persona, client_for, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    marketer = client_for(persona.marketer)
    created = marketer.post("/console/recognition/badges/new", BADGE | {"image": _picture()})
    assert created.status_code == 302, created.content.decode()
    badge = Badge.objects.get()
    assert badge.organisation == persona.organisation and badge.image.endswith(".jpg")
    assert AuditEvent.objects.filter(action="recognition.badge_created").count() == 1

    again = marketer.post("/console/recognition/badges/new", BADGE | {"name": "première VOIX"})
    assert again.status_code == 200
    assert "Your organisation already has a badge named" in again.content.decode()
    bad_image = io.BytesIO(b"not an image")
    bad_image.name = "x.png"
    refused = marketer.post(
        "/console/recognition/badges/new", BADGE | {"name": "Autre", "image": bad_image}
    )
    assert "This file is not a readable image." in refused.content.decode()
    too_many = marketer.post(
        "/console/recognition/badges/new", BADGE | {"name": "Autre", "threshold": "1001"}
    )
    assert "Give how many times, from 1 to 1000." in too_many.content.decode()
    assert Badge.objects.count() == 1

    listing = marketer.get("/console/recognition/badges/").content.decode()
    assert "Première voix" in listing and "Shares with a personal message" in listing
    retired = marketer.post(f"/console/recognition/badges/{badge.pk}/retire")
    assert retired.status_code == 302
    assert not Badge.objects.get().active
    assert AuditEvent.objects.filter(action="recognition.badge_retired").count() == 1


def test_an_ambassador_cannot_create_nor_change_badges(persona, client_for) -> None:
    ambassador = client_for(persona.ambassador)
    assert ambassador.get("/console/recognition/badges/new").status_code == 403
    assert ambassador.post("/console/recognition/badges/new", BADGE).status_code == 403
    assert not Badge.objects.exists()
    badge = Badge.objects.create(
        organisation=persona.organisation, name="Ma voix", criterion=Criterion.FIRST_CONVERSION
    )
    edit, retire = (
        f"/console/recognition/badges/{badge.pk}/",
        f"/console/recognition/badges/{badge.pk}/retire",
    )
    assert ambassador.get(edit).status_code == 403
    assert ambassador.post(retire).status_code == 403
    outsider = client_for(persona.outsider)  # an admin, of another organisation
    assert outsider.get(edit).status_code == 404
    assert outsider.post(retire).status_code == 404
    assert Badge.objects.get().active


def test_my_badges_and_who_sees_them(persona, client_for, program) -> None:
    earned = Badge.objects.create(
        organisation=persona.organisation,
        name="Première voix",
        criterion=Criterion.FIRST_PERSONAL_SHARE,
    )
    Badge.objects.create(
        organisation=persona.organisation,
        name="Dix partages",
        criterion=Criterion.SHARES_IN_90_DAYS,
        threshold=10,
    )
    ambassador = persona.ambassador
    ledger.earn(ambassador, program, RuleKind.SHARE, key="share:1")
    ledger.earn(ambassador, program, RuleKind.PERSONAL, key="personal:1")
    assert BadgeAward.objects.get(person=ambassador).badge == earned

    mine = client_for(ambassador).get("/me/recognition/badges/").content.decode()
    earned_part, to_earn_part = mine.split("Still to earn")
    assert "Première voix" in earned_part and "Dix partages" in to_earn_part
    assert "Shares in the last 90 days: 1 of 10" in to_earn_part

    colleague = client_for(persona.employee)
    page = f"/recognition/people/{ambassador.pk}/badges/"
    assert "Première voix" in colleague.get(page).content.decode()
    assert client_for(persona.outsider).get(page).status_code == 404

    hidden = client_for(ambassador).post("/me/recognition/badges/visibility", {})
    assert hidden.status_code == 302
    assert not Profile.objects.get(person=ambassador).show_badges
    assert AuditEvent.objects.filter(action="recognition.badges_hidden").count() == 1
    assert colleague.get(page).status_code == 404
    assert client_for(ambassador).get(page).status_code == 200  # their own, still

    client_for(ambassador).post("/me/recognition/badges/visibility", {"show_badges": "on"})
    assert colleague.get(page).status_code == 200


def test_the_pages_speak_french(persona, client_for, program) -> None:
    Badge.objects.create(
        organisation=persona.organisation,
        name="Première voix",
        criterion=Criterion.FIRST_PERSONAL_SHARE,
    )
    Badge.objects.create(
        organisation=persona.organisation,
        name="Dix partages",
        criterion=Criterion.SHARES_IN_90_DAYS,
        threshold=10,
    )
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1")
    reader = FrenchReader()
    problems: set[str] = set()
    for person, pages in (
        (
            persona.ambassador,
            ["/me/recognition/badges/", f"/recognition/people/{persona.ambassador.pk}/badges/"],
        ),
        (
            persona.marketer,
            [
                "/console/recognition/badges/",
                "/console/recognition/badges/new",
                f"/console/recognition/badges/{Badge.objects.first().pk}/",
            ],
        ),
    ):
        person.user.language = "fr"
        person.user.save(update_fields=["language"])
        client = client_for(person)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert 'lang="fr"' in html
            problems |= reader.problems_in_page(url, html)
    refused = client_for(persona.marketer).post(
        "/console/recognition/badges/new", BADGE | {"name": "Première voix"}
    )
    problems |= reader.problems_in_page("refused", refused.content.decode())
    assert not problems, sorted(problems)
