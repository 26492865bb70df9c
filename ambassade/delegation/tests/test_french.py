"""Every delegation page reads in French, without an English string of our catalogue nor
a raw code, on both sides and before and after the decision (the browser journey in
journeys/tests/test_executive_approves_a_draft.py checks the phone layout)."""

from __future__ import annotations

import pytest
from django.conf import settings

from ambassade.delegation.models import Draft
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db


def test_the_pages_of_both_sides_read_in_french(
    persona, client_for, delegation, item, account
) -> None:
    reader = FrenchReader(english_content=[item.title])
    delegate, principal = client_for(persona.employee), client_for(persona.ambassador)
    for client in (delegate, principal):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    problems: set[str] = set()

    def read(client, url: str) -> str:
        answer = client.get(url)
        assert answer.status_code == 200, url
        page = answer.content.decode()
        problems.update(reader.problems_in_page(url, page))
        return page

    assert "J’écris pour…" in read(delegate, "/me/writing-for/")
    assert "Contenu à partager" in read(delegate, f"/me/writing-for/{delegation.pk}/new")
    delegate.post(
        f"/me/writing-for/{delegation.pk}/new",
        {"item": item.pk, "text": "Un mot à ma façon sur Lyon.", "accounts": [account.pk]},
    )
    draft = Draft.objects.get()
    assert "Brouillons qui m’attendent" in read(principal, "/me/delegates/")
    page = read(principal, f"/me/drafts/{draft.pk}/")
    assert "Approuver et publier" in page and "En attente d’approbation" in page
    read(delegate, f"/me/drafts/{draft.pk}/")
    principal.post(f"/me/drafts/{draft.pk}/", {"decision": "refuse", "note": "Pas cette fois."})
    assert "Refusé" in read(delegate, f"/me/drafts/{draft.pk}/")
    read(principal, "/me/delegates/")
    assert not problems, "\n".join(sorted(problems))
