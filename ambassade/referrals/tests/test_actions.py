"""Referring a candidate: one mail, their answer, duplicates, expiry, "applied"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.referrals import actions
from ambassade.referrals.models import Referral, ReferralOutcome
from ambassade.referrals.tasks import expire_unconfirmed_referrals
from ambassade.referrals.tests.conftest import job_offer, link_in, outbox_to

pytestmark = pytest.mark.django_db


def _refer(person, offer, email="camille@example.org", name="Camille Martin"):
    return actions.refer(actor_for_person(person), offer.pk, name, email, "Great engineer")


def test_a_referral_sends_exactly_one_mail_to_the_candidate(
    persona, offer, immediate_tasks
) -> None:
    with immediate_tasks():
        referred = _refer(persona.ambassador, offer)
    assert referred.created
    referral = referred.referral
    assert referral.status == Referral.Status.AWAITING
    sent = outbox_to("camille@example.org")
    assert len(sent) == 1 and len(mail.outbox) == 1
    message = sent[0]
    assert offer.title in message.body and persona.ambassador.full_name in message.body
    assert link_in(message, "confirm") and link_in(message, "decline")
    assert "careers.example.com" not in message.body  # the offer only once confirmed
    assert AuditEvent.objects.filter(action="referral.created").count() == 1
    assert "Camille" not in AuditEvent.objects.get(action="referral.created").target_label

    # Confirming, applying, the job: nothing more is ever sent to them.
    with immediate_tasks():
        Client().post(link_in(message, "confirm"))
        _refer(persona.hr, offer)  # a second referrer
        actions.expire_unconfirmed(timezone.now() + timedelta(days=30))
    assert len(outbox_to("camille@example.org")) == 1


def test_the_same_address_twice_for_one_offer_is_one_referral(
    persona, offer, immediate_tasks
) -> None:
    with immediate_tasks():
        first = _refer(persona.ambassador, offer)
        second = _refer(persona.employee, offer, email="Camille@Example.org ")
    assert first.created and not second.created
    assert second.referral.pk == first.referral.pk
    assert Referral.objects.count() == 1 and len(mail.outbox) == 1
    # Another offer is another referral.
    with immediate_tasks():
        other = _refer(persona.employee, job_offer(persona.organisation, "Technicien"))
    assert other.created and len(mail.outbox) == 2


def test_declining_erases_at_once_and_only_a_count_remains(persona, offer, immediate_tasks) -> None:
    with immediate_tasks():
        _refer(persona.ambassador, offer)
    page = Client().get(link_in(mail.outbox[0], "decline"))
    assert page.status_code == 200 and Referral.objects.count() == 1  # a GET erases nothing
    Client().post(link_in(mail.outbox[0], "decline"))
    assert Referral.objects.count() == 0
    assert ReferralOutcome.objects.get(offer=offer).declined == 1
    # The link is dead now, and says so.
    gone = Client().get(link_in(mail.outbox[0], "confirm"))
    assert gone.status_code == 404
    assert b"no longer works" in gone.content


def test_unconfirmed_referrals_are_erased_after_the_set_days(
    persona, offer, settings, immediate_tasks
) -> None:
    settings.REFERRAL_UNCONFIRMED_DAYS = 3
    with immediate_tasks():
        old = _refer(persona.ambassador, offer).referral
        recent = _refer(persona.ambassador, offer, email="dom@example.org").referral
        confirmed = _refer(persona.ambassador, offer, email="eve@example.org").referral
    actions.confirm(confirmed)
    Referral.objects.filter(pk__in=[old.pk, confirmed.pk]).update(
        created_at=timezone.now() - timedelta(days=4)
    )
    assert expire_unconfirmed_referrals.call() == 1
    assert set(Referral.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert ReferralOutcome.objects.get(offer=offer).expired == 1


def test_only_offers_the_person_sees_and_valid_input(persona, offer) -> None:
    with pytest.raises(ValidationError):
        _refer(persona.ambassador, offer, email="not an address")
    with pytest.raises(ValidationError):
        _refer(persona.ambassador, offer, name="  ")
    with pytest.raises(ValidationError):
        _refer(persona.ambassador, offer, email=persona.ambassador.email)
    elsewhere = job_offer(persona.outsider.organisation)
    with pytest.raises(Http404):
        _refer(persona.ambassador, elsewhere)
    offer.kind = "article"
    offer.save()
    with pytest.raises(Http404):
        _refer(persona.ambassador, offer)
    with pytest.raises(PermissionDenied):
        actions.erase(actor_for_person(persona.ambassador), 1)
    assert Referral.objects.count() == 0


def test_hr_erases_a_referral_of_their_organisation_only(persona, offer) -> None:
    referral = _refer(persona.ambassador, offer).referral
    with pytest.raises(Http404):
        actions.erase(actor_for_person(persona.outsider), referral.pk)
    actions.erase(actor_for_person(persona.hr), referral.pk)
    assert not Referral.objects.exists()
    assert ReferralOutcome.objects.get(offer=offer).erased == 1


def test_a_closed_offer_gets_no_new_link_on_confirmation(persona, offer) -> None:
    referral = _refer(persona.ambassador, offer).referral
    offer.status = "archived"
    offer.save()
    referral.offer.status = "archived"
    confirmed = actions.confirm(referral)
    assert confirmed.status == Referral.Status.CONFIRMED and confirmed.link is None
