"""The prize draws' pages: created and run in the console, entered by the person,
verified by any member; who may, others' 404, bad input, and all of it in French."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

from ambassade.recognition import draws
from ambassade.recognition.models import Draw, DrawEntry, DrawStatus, Profile
from ambassade.recognition.tests.draws_helpers import earned, published
from ambassade.sharing.tests.conftest import as_actor
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db


def test_a_draw_is_created_published_entered_and_drawn(persona, enrolled, client_for) -> None:
    console = client_for(persona.comms)
    today = draws.today()
    bad = console.post(
        "/console/recognition/draws/",
        {"name": "Vélo", "prize": "Un vélo", "opens_on": today, "closes_on": today - timedelta(1)},
    )
    assert bad.status_code == 200 and "The end comes before the start." in bad.content.decode()
    made = console.post(
        "/console/recognition/draws/",
        {"name": "Vélo", "prize": "Un vélo", "opens_on": today, "closes_on": today, "winners": 1},
    )
    assert made.status_code == 302
    draw = Draw.objects.get(organisation=persona.organisation)
    assert console.get(f"/console/recognition/draws/{draw.pk}/").status_code == 200
    assert "Vélo" not in client_for(enrolled).get("/me/recognition/draws/").content.decode()
    console.post(f"/console/recognition/draws/{draw.pk}/publish")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED

    person = client_for(enrolled)
    page = person.get("/me/recognition/draws/").content.decode()
    assert draw.seed_hash in page and draw.secret not in page and "Enter the draw" in page
    assert person.post(f"/me/recognition/draws/{draw.pk}/enter").status_code == 302
    assert DrawEntry.objects.filter(draw=draw, person=enrolled).exists()
    assert "Leave the draw" in person.get("/me/recognition/draws/").content.decode()

    early = console.post(f"/console/recognition/draws/{draw.pk}/draw", follow=True)
    assert "only take place after it closes" in early.content.decode()
    assert person.post(f"/console/recognition/draws/{draw.pk}/draw").status_code == 403
    Draw.objects.filter(pk=draw.pk).update(
        opens_on=today - timedelta(days=3), closes_on=today - timedelta(days=1)
    )
    earned(enrolled, 12, today - timedelta(days=2))
    console.post(f"/console/recognition/draws/{draw.pk}/draw")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN and draw.seed == draw.secret

    check = client_for(persona.employee).get(f"/recognition/draws/{draw.pk}/verify")
    text = check.content.decode()
    assert check.status_code == 200 and draw.seed in text and "Participant #1" in text
    assert str(enrolled) not in text
    assert "The recomputed winners match: <strong>yes</strong>" in " ".join(text.split())
    Profile.objects.update_or_create(person=enrolled, defaults={"on_boards": True})
    assert str(enrolled) in person.get("/me/recognition/draws/").content.decode()


def test_an_ambassador_cannot_run_a_draw_and_another_organisation_gets_404(
    persona, enrolled, client_for
) -> None:
    draw = published(persona.organisation, days_ago=1)
    ambassador = client_for(enrolled)
    for url in (
        f"/console/recognition/draws/{draw.pk}/",
        f"/console/recognition/draws/{draw.pk}/draw",
    ):
        assert ambassador.post(url).status_code == 403
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/console/recognition/draws/{draw.pk}/").status_code == 404
    assert outsider.post(f"/console/recognition/draws/{draw.pk}/draw").status_code == 404
    assert outsider.post(f"/me/recognition/draws/{draw.pk}/enter").status_code == 404
    assert outsider.get(f"/recognition/draws/{draw.pk}/verify").status_code == 404
    assert (
        client_for(persona.admin).post(f"/console/recognition/draws/{draw.pk}/x").status_code == 404
    )
    closed = ambassador.post(f"/me/recognition/draws/{draw.pk}/enter", follow=True)
    assert "This draw is not open for entries." in closed.content.decode()
    assert draw.status == DrawStatus.PUBLISHED


def test_the_draws_pages_speak_french(persona, enrolled, client_for) -> None:
    drawn = published(persona.organisation, days_ago=1, cap=20, winners=2)
    earned(enrolled, 15, drawn.opens_on)
    DrawEntry.objects.create(draw=drawn, person=enrolled)
    draws.draw_winners(as_actor(persona.marketer), drawn)
    open_draw = published(persona.organisation, days_ago=-3, name="Tirage d’été")
    draft = Draw.objects.create(
        organisation=persona.organisation,
        name="Brouillon",
        prize="Un livre",
        opens_on=draws.today(),
        closes_on=draws.today(),
    )
    pages = {
        enrolled: [
            "/me/recognition/draws/",
            f"/recognition/draws/{drawn.pk}/verify",
            f"/recognition/draws/{open_draw.pk}/verify",
        ],
        persona.marketer: [
            "/console/recognition/draws/",
            f"/console/recognition/draws/{drawn.pk}/",
            f"/console/recognition/draws/{open_draw.pk}/",
            f"/console/recognition/draws/{draft.pk}/",
        ],
    }
    reader = FrenchReader()
    problems: set[str] = set()
    for person, urls in pages.items():
        client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            problems |= reader.problems_in_page(url, response.content.decode())
    assert not problems, sorted(problems)
    french = client_for(enrolled)
    french.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Participer au tirage" in french.get("/me/recognition/draws/").content.decode()
