"""The composer's guideline results: a preferred term applied in one click, a banned one blocks."""

from __future__ import annotations

import pytest

from ambassade.content.models import GlossaryTerm
from ambassade.sharing.models import ShareTarget
from ambassade.sharing.tests.conftest import PERSONAL

pytestmark = pytest.mark.django_db


def test_preferred_term_is_applied_in_one_click(
    persona, enrolled, item, account, client_for, no_quiet_hours
) -> None:
    GlossaryTerm.objects.create(
        organisation=persona.organisation,
        kind="preferred",
        text="gens curieux",
        suggestion="talents curieux",
    )
    page = (
        client_for(enrolled)
        .post(f"/share/{item.pk}/", {"message": PERSONAL, "accounts": [account.pk], "apply": "0"})
        .content.decode()
    )
    assert "talents curieux" in page and "gens curieux pour" not in page
    assert not ShareTarget.objects.exists()


def test_a_banned_term_blocks_with_its_reason(
    persona, enrolled, item, account, client_for, no_quiet_hours
) -> None:
    GlossaryTerm.objects.create(
        organisation=persona.organisation,
        kind="banned",
        text="nouveau site",
        reason="Pas encore annoncé.",
    )
    response = client_for(enrolled).post(
        f"/share/{item.pk}/", {"message": PERSONAL, "accounts": [account.pk], "when": "now"}
    )
    assert response.status_code == 200
    assert "Pas encore annoncé." in response.content.decode()
    assert not ShareTarget.objects.exists()
