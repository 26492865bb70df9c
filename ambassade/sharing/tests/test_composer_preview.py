"""The composer previews each network's post exactly as it will be sent, live and without JS."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ambassade.content.models import Disclosure
from ambassade.sharing import preview
from ambassade.sharing.models import ShareTarget, SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.conftest import PERSONAL
from ambassade.sharing.tests.previews import previews

pytestmark = pytest.mark.django_db

LINK = "http://testserver/r/••••••••"  # the short link's length, before its code is drawn


def _connect(person, network: str) -> SocialAccount:
    account = SocialAccount(
        organisation=person.organisation,
        person=person,
        network=network,
        remote_id=f"{network}-1",
        handle=f"@alice-{network}",
    )
    account.store(Credentials(secrets={"token": "t"}))
    account.save()
    return account


@pytest.fixture
def accounts(enrolled, settings) -> list[SocialAccount]:
    settings.BASE_URL = "http://testserver"
    return [_connect(enrolled, network) for network in ("bluesky", "linkedin", "x")]


def test_each_network_shows_the_text_with_the_disclosure_link_card_and_its_count(
    persona, enrolled, item, accounts, client_for
) -> None:
    Disclosure.objects.create(organisation=persona.organisation, network="x", text="#salarié")
    suggestion = item.messages.get()
    page = client_for(enrolled).get(f"/share/{item.pk}/?from={suggestion.pk}").content.decode()
    # The suggestion comes without the bare address: the tracked link is added anyway.
    assert suggestion.text in page and item.url not in page
    shown = previews(page)
    assert set(shown) == {"bluesky", "linkedin", "x"}
    text = suggestion.text
    # X: the disclosure the organisation adds is shown, and the link counts as 23.
    assert shown["x"]["text"] == f"{text}\n\n#salarié\n\n{LINK}"
    assert shown["x"]["count"] == f"{len(text + '#salarié') + 4 + 23} of 280 characters"
    # Bluesky: no disclosure asked there; graphemes, the link as typed.
    assert shown["bluesky"]["text"] == f"{text}\n\n{LINK}"
    assert shown["bluesky"]["count"] == f"{len(text) + 2 + len(LINK)} of 300 characters"
    # LinkedIn shows the link as the card only.
    assert shown["linkedin"]["text"] == text
    for network in shown.values():
        assert network["title"] == item.title and network["link"] == LINK


def test_the_card_shows_the_whole_description_the_network_receives(
    persona, enrolled, item, accounts, client_for
) -> None:
    # Longer than a card's first lines, shorter than what the cards hold (300).
    item.description = "Une usine neuve, deux cents emplois. " * 7
    item.save(update_fields=["description"])
    suggestion = item.messages.get()
    page = client_for(enrolled).get(f"/share/{item.pk}/?from={suggestion.pk}").content.decode()
    sent = preview.post_for(persona.organisation, item, suggestion.text, "bluesky", LINK)[0]
    assert 140 < len(sent.description) <= preview.DESCRIPTION_LENGTH
    shown = previews(page)
    assert set(shown) == {"bluesky", "linkedin", "x"}
    assert {network["description"] for network in shown.values()} == {sent.description}


def test_the_preview_follows_the_text_and_the_similarity_hint_leaves_with_the_copy(
    enrolled, item, accounts, client_for
) -> None:
    client = client_for(enrolled)
    suggestion = item.messages.get()
    ticked = [accounts[0].pk]
    copied = client.post(
        f"/share/{item.pk}/preview", {"message": suggestion.text, "accounts": ticked}
    ).content.decode()
    assert "data-nudge" in copied and "100%" in copied
    assert set(previews(copied)) == {"bluesky"}
    own = client.post(
        f"/share/{item.pk}/preview", {"message": PERSONAL, "accounts": ticked}
    ).content.decode()
    assert "data-nudge" not in own
    assert previews(own)["bluesky"]["text"] == f"{PERSONAL}\n\n{LINK}"
    # Too long: the count turns red and says by how much, with the network's name.
    long = client.post(
        f"/share/{item.pk}/preview", {"message": "a" * 300, "accounts": ticked}
    ).content.decode()
    assert "Too long for Bluesky: remove 30 characters." in long


def test_without_javascript_the_preview_button_shows_it_and_shares_nothing(
    enrolled, item, accounts, client_for
) -> None:
    response = client_for(enrolled).post(
        f"/share/{item.pk}/",
        {"message": PERSONAL, "accounts": [accounts[2].pk], "preview": "1"},
    )
    assert response.status_code == 200
    assert previews(response.content.decode())["x"]["text"] == f"{PERSONAL}\n\n{LINK}"
    assert not ShareTarget.objects.exists()


def test_date_and_time_are_written_in_the_persons_language_and_time_zone(
    enrolled, item, accounts, client_for, no_quiet_hours
) -> None:
    enrolled.user.time_zone = "America/Montreal"
    enrolled.user.save(update_fields=["time_zone"])
    client = client_for(enrolled)
    page = client.get(f"/share/{item.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'id="id_day"' in page and 'lang="fr"' in page and "jj/mm/aaaa" in page
    assert 'type="datetime-local"' not in page
    wrong = client.post(
        f"/share/{item.pk}/",
        {"message": PERSONAL, "accounts": [accounts[0].pk], "when": "schedule"}
        | {"day": "12/30/2099", "time": "14h30"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Écrivez la date sous la forme jj/mm/aaaa." in wrong.content.decode()
    response = client.post(
        f"/share/{item.pk}/",
        {"message": PERSONAL, "accounts": [accounts[0].pk], "when": "schedule"}
        | {"day": "30/12/2099", "time": "14h30"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target = ShareTarget.objects.get()
    montreal = ZoneInfo("America/Montreal")
    assert target.scheduled_at == datetime(2099, 12, 30, 14, 30, tzinfo=montreal)
