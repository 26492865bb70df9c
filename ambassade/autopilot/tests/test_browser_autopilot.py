"""In French, on a 360 px phone, in Chromium: the ambassador finds Autopilot under Me,
reads the queued post in its preview window, rewrites it, and sees the new words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ambassade.autopilot.models import AutopilotPost
from ambassade.autopilot.queueing import queue_item
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.testing.browser import expect
from ambassade.testing.phone import check_layout

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE = {"width": 360, "height": 740}
REWRITTEN = "Une équipe que je recommande sans hésiter : venez nous voir à Lyon !"


def test_the_preview_is_read_and_rewritten_on_a_phone(
    setup, persona, program, enrolled, channel, turn_on, live_server, new_page: Callable[..., Any]
) -> None:
    assert turn_on().status_code == 200
    item = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Nous recrutons à Lyon",
        url="https://verdier.example/jobs/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    item.channels.add(channel)
    queue_item(item)
    target = AutopilotPost.objects.get(item=item).target
    assert target is not None
    enrolled.user.language = "fr"
    enrolled.user.save(update_fields=["language"])

    client = Client()
    client.force_login(enrolled.user)
    page = new_page(locale="fr-FR", viewport=PHONE)
    page.set_default_timeout(60_000)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])

    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="Pilote automatique", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilote automatique")
    card = page.locator(f"#autopilot-post-{target.pk}")
    expect(card).to_contain_text("je le recommande : Nous recrutons à Lyon")
    check_layout(page, PHONE["width"], PHONE["height"], "/me/autopilot/")

    card.get_by_role("link", name="Modifier Nous recrutons à Lyon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier ma publication")
    check_layout(page, PHONE["width"], PHONE["height"], "edit")
    page.get_by_label("Votre publication").fill(REWRITTEN)
    page.get_by_role("button", name="Enregistrer ma publication").click()
    expect(page.get_by_text("Votre publication est modifiée.")).to_be_visible()
    expect(page.locator(f"#autopilot-post-{target.pk}")).to_contain_text(REWRITTEN)
