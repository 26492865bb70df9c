"""The feed's weight: HTML compressed, images sent at the width they are shown."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from PIL import Image

from ambassade.content import images
from ambassade.content.models import ContentItem, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_with_a_photo(settings, tmp_path, persona, program, enrol) -> ContentItem:
    settings.MEDIA_ROOT = tmp_path
    enrol(persona.ambassador)
    photo = io.BytesIO()
    Image.effect_noise((1600, 840), 60).convert("RGB").save(photo, "JPEG")
    stored = images.store(photo.getvalue(), folder="items")
    return ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Nous recrutons",
        status=Status.PUBLISHED,
        url="https://verdier.example/jobs",
        image=stored.name,
        image_alt="L'atelier de Lyon",
    )


def test_the_feed_html_is_compressed_when_the_browser_accepts_it(
    feed_with_a_photo, persona, client_for
) -> None:
    client = client_for(persona.ambassador)
    plain = client.get("/feed/")
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    packed = client.get("/feed/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "Nous recrutons" in html
    assert len(packed.content) < len(plain.content) / 2
    # The CSP header and its nonce are untouched.
    assert packed["Content-Security-Policy"] == packed["Content-Security-Policy"].strip()
    assert "script-src" in packed["Content-Security-Policy"]
    # A JPEG is not compressed again.
    image = client.get(images.sizes(feed_with_a_photo.image)[0].url, HTTP_ACCEPT_ENCODING="gzip")
    assert image.status_code == 200 and not image.has_header("Content-Encoding")


def test_feed_cards_offer_the_image_at_360_720_and_1200_pixels(
    feed_with_a_photo, persona, client_for
) -> None:
    client = client_for(persona.ambassador)
    page = client.get("/feed/").content.decode()
    tag = re.search(r'<img class="feed-card-image"[^>]*>', page)
    assert tag is not None, page
    srcset = re.search(r'srcset="([^"]+)"', tag.group(0))
    assert srcset is not None
    assert 'sizes="' in tag.group(0) and 'width="1200" height="630"' in tag.group(0)
    offered = [entry.rsplit(" ", 1) for entry in srcset.group(1).split(", ")]
    assert [width for _url, width in offered] == ["360w", "720w", "1200w"]
    for url, width in offered:
        answer = client.get(url)
        assert answer.status_code == 200
        served = Image.open(io.BytesIO(b"".join(answer.streaming_content)))
        assert served.size == (int(width[:-1]), round(630 * int(width[:-1]) / 1200))
