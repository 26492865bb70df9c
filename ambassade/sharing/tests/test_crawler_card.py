"""The page crawlers get for a shared link shows the item's image, served by us, its size
and its language (LinkedIn lays out a card with a picture only with og:image)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from ambassade.content import images
from ambassade.sharing.models import ShareTarget
from ambassade.sharing.tests.conftest import PERSONAL

pytestmark = pytest.mark.django_db

LINKEDIN = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"


def _meta(page: str, name: str) -> str | None:
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)">', page)
    return found.group(1) if found else None


def test_the_crawlers_card_has_the_items_image_with_its_size_and_language(
    settings, tmp_path, enrolled, item, account, client_for, no_quiet_hours
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.BASE_URL = "https://ambassade.verdier.example"
    photo = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 60, 140)).save(photo, "JPEG")
    item.image = images.store(photo.getvalue(), folder="items").name
    item.save(update_fields=["image"])
    response = client_for(enrolled).post(
        f"/share/{item.pk}/",
        {"message": PERSONAL, "accounts": [account.pk], "when": "schedule"}
        | {"day": "30/12/2099", "time": "10:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = ShareTarget.objects.get().tracked_link
    page = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=LINKEDIN).content.decode()
    image = _meta(page, "og:image")
    assert image == f"https://ambassade.verdier.example/media/{item.image}"
    assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("1200", "675")
    assert _meta(page, "og:locale") == "fr_FR" and '<html lang="fr">' in page
    served = Client().get(image.removeprefix(settings.BASE_URL))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (1200, 675)
