"""The referral pages: the button on a job offer in the feed, the form, My referrals, the
HR console, and the candidate's public pages in their language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ambassade.core.authz import actor_for_person
from ambassade.referrals import actions
from ambassade.referrals.models import Referral
from ambassade.referrals.tests.conftest import job_offer, link_in

pytestmark = pytest.mark.django_db


def test_a_job_offer_in_the_feed_has_a_refer_button(persona, offer, client_for) -> None:
    feed = client_for(persona.employee).get("/feed/").content.decode()
    assert f"/feed/{offer.pk}/refer/" in feed
    offer.kind = "article"
    offer.save()
    assert (
        f"/feed/{offer.pk}/refer/"
        not in client_for(persona.employee).get("/feed/").content.decode()
    )


def test_refer_through_the_form_then_see_it_in_my_referrals(
    persona, offer, client_for, immediate_tasks
) -> None:
    client = client_for(persona.ambassador)
    assert client.get(f"/feed/{offer.pk}/refer/").status_code == 200
    data = {"name": "Camille Martin", "email": "camille@example.org", "note": ""}
    with immediate_tasks():
        response = client.post(f"/feed/{offer.pk}/refer/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/me/referrals/"
    page = response.content.decode()
    assert "Camille Martin" in page and "Awaiting the candidate" in page
    assert len(mail.outbox) == 1
    # A second referrer is told, without learning who referred first.
    with immediate_tasks():
        second = client_for(persona.hr).post(f"/feed/{offer.pk}/refer/", data, follow=True)
    text = second.content.decode()
    assert "already been referred" in text and persona.ambassador.full_name not in text
    assert len(mail.outbox) == 1
    assert "Camille" not in client_for(persona.hr).get("/me/referrals/").content.decode()
    # The form shows the action's errors next to the fields.
    bad = client.post(f"/feed/{offer.pk}/refer/", {**data, "email": persona.ambassador.email})
    assert bad.status_code == 200 and "cannot refer yourself" in bad.content.decode()


def test_refer_form_of_another_organisation_offer_is_404(persona, client_for) -> None:
    elsewhere = job_offer(persona.outsider.organisation)
    assert client_for(persona.ambassador).get(f"/feed/{elsewhere.pk}/refer/").status_code == 404
    assert client_for(persona.outsider).get(f"/feed/{elsewhere.pk}/refer/").status_code == 200


def test_hr_console_per_offer(persona, offer, client_for) -> None:
    kept = actions.refer(actor_for_person(persona.ambassador), offer.pk, "Bob Durand", "b@x.org")
    actions.refer(actor_for_person(persona.ambassador), offer.pk, "Ana Secret", "a@x.org")
    actions.confirm(kept.referral)
    hr = client_for(persona.hr)
    assert offer.title in hr.get("/console/referrals/").content.decode()
    detail = hr.get(f"/console/referrals/offers/{offer.pk}/").content.decode()
    assert "Bob Durand" in detail and "b@x.org" in detail
    assert "Ana Secret" not in detail and "a@x.org" not in detail
    for name in ("marketer", "comms", "sales", "coach", "ambassador", "employee"):
        client = client_for(getattr(persona, name))
        assert client.get(f"/console/referrals/offers/{offer.pk}/").status_code == 403
        assert client.post(f"/console/referrals/{kept.referral.pk}/erase").status_code == 403
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/console/referrals/offers/{offer.pk}/").status_code == 404
    assert outsider.post(f"/console/referrals/{kept.referral.pk}/erase").status_code == 404
    erased = hr.post(f"/console/referrals/{kept.referral.pk}/erase")
    assert erased.status_code == 302
    assert not Referral.objects.filter(pk=kept.referral.pk).exists()


def test_the_candidate_pages_speak_their_language(persona, offer, immediate_tasks) -> None:
    with immediate_tasks():
        actions.refer(actor_for_person(persona.ambassador), offer.pk, "Camille", "c@x.org")
    confirm = link_in(mail.outbox[0], "confirm")
    french = Client().get(confirm, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert "Oui, je suis intéressé" in french.content.decode()
    assert Referral.objects.get().status == Referral.Status.AWAITING  # a GET changes nothing
    done = Client().post(confirm, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.CONFIRMED and referral.link is not None
    assert f"/r/{referral.link.code}" in done
    assert referral.link.network == "referral" and referral.link.person == persona.ambassador
    assert referral.link.content_item_id == offer.pk
    # A forged token is refused like an erased one.
    assert Client().get(confirm.replace("/confirm", "x/confirm")).status_code == 404
