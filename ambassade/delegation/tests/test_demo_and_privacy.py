"""The demo: the sales director has a delegate, a draft waiting on his phone and one he
refused. And a person's delegations and drafts: in their export, gone with their erasure."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.core.authz import actor_for_person
from ambassade.core.personal_data import anonymise, collect
from ambassade.delegation import actions
from ambassade.delegation.models import Delegation, Draft, DraftStatus
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_sales_director_has_a_draft_to_approve(client_for) -> None:
    demo.build(people=60, days=10, seed=3, today=date.today(), progress=lambda _: None)
    samuel = Person.objects.get(email="ventes@verdier.example")
    ines = Person.objects.get(email="comms@verdier.example")
    current = Delegation.objects.get(principal=samuel, ended_at__isnull=True)
    assert current.delegate == ines
    statuses = set(Draft.objects.filter(delegation=current).values_list("status", flat=True))
    assert statuses == {DraftStatus.PENDING, DraftStatus.REFUSED}
    page = client_for(samuel).get("/me/delegates/").content.decode()
    assert "Inès Caron" in page and "Trois clients industriels" in page


def test_export_gives_both_sides_and_erasure_forgets_them(
    persona, delegation, item, account
) -> None:
    draft = actions.write_draft(
        actor_for_person(persona.employee),
        delegation.pk,
        item_id=item.pk,
        text="Un brouillon pour toi",
        account_ids=[account.pk],
    )
    mine = collect(persona.ambassador)["delegation"]
    assert mine["delegates"][0]["delegate"] == persona.employee.full_name
    assert mine["drafts_for_me"][0]["text"] == "Un brouillon pour toi"
    theirs = collect(persona.employee)["delegation"]
    assert theirs["writes_for"][0]["principal"] == persona.ambassador.full_name
    assert theirs["drafts_by_me"][0]["text"] == "Un brouillon pour toi"
    anonymise(persona.employee)
    assert not Delegation.objects.exists()
    assert not Draft.objects.filter(pk=draft.pk).exists()
