"""The bell on a 360 px phone, in French: the header stays on one line, the count shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ambassade.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE = {"width": 360, "height": 740}


def _signed_in(new_page: Callable[..., Any], live_server: Any, person: Any) -> Any:
    client = Client()
    client.force_login(person.user)
    page = new_page(locale="fr-FR", viewport=PHONE)
    page.set_default_timeout(60_000)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return page


@pytest.mark.parametrize("name", ["ambassador", "admin"])
def test_the_bell_keeps_the_phone_header_on_one_line(persona, live_server, new_page, name) -> None:
    person = getattr(persona, name)
    for number in range(12):
        Notification.objects.create(
            organisation=person.organisation, person=person, kind="welcome", title=f"N{number}"
        )
    page = _signed_in(new_page, live_server, person)
    page.goto(f"{live_server.url}/me/")
    bell = page.locator("a.bell")
    assert bell.is_visible()
    assert page.locator(".bell-count").inner_text() == "12"
    assert bell.get_attribute("href") == "/me/notifications/"
    assert "12 non lues" in bell.inner_text()  # the visually hidden label, in French
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    header = page.locator("header.topbar").bounding_box()
    brand = page.locator("header.topbar .brand").bounding_box()
    box = bell.bounding_box()
    assert header is not None and brand is not None and box is not None
    assert header["height"] < 70  # one line
    assert abs((box["y"] + box["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 8
