"""The landing page's next step once enrolled: connect a network, then share a first item."""

from __future__ import annotations

import pytest

from ambassade.sharing.models import Share

pytestmark = pytest.mark.django_db


def next_step(client) -> str:
    page = client.get("/me/home/").content.decode()
    start = page.index('id="next-step-title"')
    return page[start : page.index("</section>", start)]


def test_an_enrolled_ambassador_is_asked_to_connect_a_network(client_for, enrolled) -> None:
    step = next_step(client_for(enrolled))
    assert "Connect a network" in step
    assert 'href="/me/accounts/"' in step


def test_then_to_share_a_first_item_then_nothing(client_for, account, item) -> None:
    client = client_for(account.person)
    step = next_step(client)
    assert "Share a first item" in step
    assert 'href="/feed/"' in step
    Share.objects.create(
        organisation=item.organisation, person=account.person, item=item, message="À lire"
    )
    page = client.get("/me/home/").content.decode()
    assert 'id="next-step-title"' not in page
    assert "nothing is waiting for you" in page
    assert "Marque employeur" in page  # the program the person is in


def test_someone_in_no_program_is_not_asked_to_connect(client_for, persona) -> None:
    page = client_for(persona.employee).get("/me/home/").content.decode()
    assert 'id="next-step-title"' not in page
    assert "No program yet" in page
    assert "questionnaire" not in page.lower()
