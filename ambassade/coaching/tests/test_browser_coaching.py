"""In French, in the browser: the supporter (360 px) asks their coach; the coach
(console, 1440 px) sees it in the notification list, opens the thread and answers; the
supporter reads the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ambassade.coaching.models import CoachAssignment
from ambassade.testing.browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


def _signed_in(new_page: Callable[..., Any], live_server: Any, person: Any, viewport: dict) -> Any:
    client = Client()
    client.force_login(person.user)
    page = new_page(locale="fr-FR", viewport=viewport)
    page.set_default_timeout(60_000)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return page


def test_a_question_asked_on_the_phone_is_answered_from_the_console(
    persona, live_server, new_page
) -> None:
    CoachAssignment.objects.create(
        organisation=persona.organisation, coach=persona.coach, ambassador=persona.ambassador
    )
    for person in (persona.ambassador, persona.coach):
        person.user.language = "fr"
        person.user.save(update_fields=["language"])

    phone = _signed_in(new_page, live_server, persona.ambassador, PHONE)
    phone.goto(f"{live_server.url}/me/")
    phone.get_by_role("link", name="Mon coach").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon coach")
    phone.get_by_label("Votre question").fill("Puis-je partager la vidéo du salon ?")
    phone.get_by_role("button", name="Envoyer ma question").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ma question")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    console = _signed_in(new_page, live_server, persona.coach, DESKTOP)
    console.goto(f"{live_server.url}/console/notifications/")
    told = console.get_by_role(
        "link", name=f"{persona.ambassador.full_name} vous a posé une question"
    )
    expect(told).to_be_visible()
    told.click()
    expect(console.locator(".question-text")).to_have_text("Puis-je partager la vidéo du salon ?")
    console.get_by_label("Votre réponse").fill("Oui, avec une phrase à toi.")
    console.get_by_role("button", name="Envoyer ma réponse").click()
    expect(console.get_by_text("Oui, avec une phrase à toi.")).to_be_visible()

    phone.reload()
    expect(phone.get_by_text("Oui, avec une phrase à toi.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
