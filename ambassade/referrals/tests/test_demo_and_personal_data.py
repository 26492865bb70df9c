"""The demo's referrals, the subscriber's choices, and a referrer's data: in their
export, gone with their erasure."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.core.authz import actor_for_person
from ambassade.core.personal_data import anonymise, collect
from ambassade.referrals import actions
from ambassade.referrals.models import Referral
from ambassade.tracking.actions import report_conversion
from ambassade.tracking.models import Conversion

pytestmark = pytest.mark.django_db


def test_the_demo_has_referrals_in_each_status() -> None:
    demo.build(people=60, days=10, seed=3, today=date.today(), progress=lambda _: None)
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == {"awaiting", "confirmed", "applied"}
    applied = Referral.objects.get(status="applied")
    assert Conversion.objects.filter(link=applied.link, kind="application").count() == 1


def test_only_an_application_on_a_referral_link_moves_it(persona, offer, immediate_tasks) -> None:
    referral = actions.refer(
        actor_for_person(persona.ambassador), offer.pk, "Camille", "c@x.org"
    ).referral
    referral = actions.confirm(referral)
    assert referral.link is not None

    def report(kind: str, key: str) -> None:
        with immediate_tasks():
            report_conversion(
                organisation=persona.organisation,
                reference=referral.link.code,
                kind=kind,
                idempotency_key=key,
            )

    report("lead", "k1")
    assert Referral.objects.get().status == "confirmed"
    report("application", "k2")
    assert Referral.objects.get().status == "applied"
    report("application", "k2")  # a replay records no event and changes nothing
    assert Referral.objects.get().status == "applied"


def test_export_and_erasure_of_the_referrer(persona, offer) -> None:
    actions.refer(actor_for_person(persona.ambassador), offer.pk, "Camille", "c@x.org", "Top")
    exported = collect(persona.ambassador)["referrals"]
    assert [(r["candidate_email"], r["status"]) for r in exported] == [("c@x.org", "awaiting")]
    assert collect(persona.hr)["referrals"] == []
    anonymise(persona.ambassador)
    assert not Referral.objects.exists()
