"""The composer's preview is exactly what a real local Bluesky PDS then holds."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from PIL import Image

from ambassade.content import images
from ambassade.content.models import Disclosure
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.tests.conftest import PERSONAL
from ambassade.sharing.tests.pds import post_of
from ambassade.sharing.tests.previews import previews

# The worker runs as in production (it closes its connection): committed data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def local_pds(settings, tmp_path, no_quiet_hours, bluesky_pds) -> dict:
    port = bluesky_pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    settings.MEDIA_ROOT = tmp_path
    return bluesky_pds


def test_the_previewed_text_link_and_card_are_what_the_pds_holds(
    local_pds, persona, enrolled, item, client_for, django_capture_on_commit_callbacks
) -> None:
    pds = local_pds
    photo = io.BytesIO()
    Image.new("RGB", (1200, 630), (20, 60, 140)).save(photo, "JPEG")
    item.image = images.store(photo.getvalue(), folder="items").name
    item.save(update_fields=["image"])
    Disclosure.objects.create(organisation=persona.organisation, network="bluesky", text="#salarié")
    client = client_for(enrolled)
    response = client.post(
        "/me/accounts/bluesky/password",
        {"handle": pds["handle"], "app_password": pds["app_password"], "pds_url": pds["pds_url"]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = SocialAccount.objects.get(person=enrolled, network="bluesky")
    message = f"{PERSONAL} 🚀"

    # What the page shows before sharing (the button that works without JavaScript).
    page = client.post(
        f"/share/{item.pk}/", {"message": message, "accounts": [account.pk], "preview": "1"}
    ).content.decode()
    shown = previews(page)["bluesky"]
    placeholder = shown["link"]
    assert placeholder and shown["text"] == f"{message}\n\n#salarié\n\n{placeholder}"
    assert shown["srcset"]  # the card's picture is shown

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/share/{item.pk}/", {"message": message, "accounts": [account.pk], "when": "now"}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    target = ShareTarget.objects.get(account=account)
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason

    # The PDS lives for the session (other tests post too): this target's record.
    record = post_of(pds, target.remote_id)
    link = publishing.short_url(target.tracked_link)
    assert len(link) == len(placeholder)  # so the previewed count was the real one
    assert record["text"] == shown["text"].replace(placeholder, link)
    facet = record["facets"][0]
    raw = record["text"].encode("utf-8")
    assert raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]] == link.encode()
    assert facet["features"][0]["uri"] == link
    external = record["embed"]["external"]
    assert external["uri"] == link and external["title"] == shown["title"]
    assert external["thumb"]["mimeType"] == "image/jpeg" and external["thumb"]["size"] > 0
