"""Journey: an ambassador refers a candidate for a job offer of the feed, in French; the
candidate confirms through the one mail they get; the career site reports their
application with the referral's tracked link; HR and the referrer see "applied", and the
program's figures count the conversion."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from ambassade.analytics import rollup
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Scope
from ambassade.people.actions import create_api_token
from ambassade.referrals.models import Referral
from ambassade.referrals.tests.conftest import job_offer, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _french(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_a_referred_candidate_confirms_applies_and_is_counted(
    persona, client_for, immediate_tasks
) -> None:
    offer = job_offer(persona.organisation, "Ingénieure procédés (H/F)")
    ambassador = _french(client_for(persona.ambassador))

    # The ambassador finds the offer in their feed and refers a friend, in French.
    feed = ambassador.get("/feed/").content.decode()
    assert "Recommander quelqu’un" in feed
    form = ambassador.get(f"/feed/{offer.pk}/refer/").content.decode()
    assert "Pour l’offre d’emploi « Ingénieure procédés (H/F) »" in form
    with immediate_tasks():
        done = ambassador.post(
            f"/feed/{offer.pk}/refer/",
            {"name": "Camille Martin", "email": "camille@example.org", "note": "Brillante"},
            follow=True,
        )
    page = done.content.decode()
    assert "Mes recommandations" in page and "En attente de la confirmation" in page

    # The candidate's one mail, in the organisation's language, with the two links.
    assert [m.to for m in mail.outbox] == [["camille@example.org"]]
    confirm = link_in(mail.outbox[0], "confirm")
    candidate = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert "Oui, je suis intéressé" in candidate.get(confirm).content.decode()
    thanks = candidate.post(confirm).content.decode()
    assert "Merci, Camille Martin" in thanks
    found = re.search(r'href="[^"]*/r/([A-Za-z0-9_-]+)"', thanks)
    assert found is not None, thanks
    code = found.group(1)

    # The career site reports the application with the link's code, as for any link.
    secret = create_api_token(
        actor_for_person(persona.admin),
        name="Career site",
        scopes=[Scope.CONVERSIONS_WRITE],
        organisation_wide=True,
    )[1]
    career_site = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with immediate_tasks():
        reported = career_site.post(
            "/api/v1/conversions",
            {"reference": code, "kind": "application", "idempotency_key": "candidature-1"},
            content_type="application/json",
        )
    assert reported.status_code == 201, reported.content
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.APPLIED and referral.applied_at is not None

    # HR sees the candidate and their status; the referrer sees "applied".
    hr = _french(client_for(persona.hr)).get(f"/console/referrals/offers/{offer.pk}/")
    hr_page = hr.content.decode()
    assert "Camille Martin" in hr_page and "camille@example.org" in hr_page
    assert "A postulé" in hr_page
    mine = ambassador.get("/me/referrals/").content.decode()
    assert "Camille Martin" in mine and "A postulé" in mine
    api = client_for(persona.ambassador).get("/api/v1/referrals/mine").json()
    assert [row["status"] for row in api] == ["applied"]

    # The program's figures count the conversion like any other.
    rollup.update()
    figures = client_for(persona.marketer).get(
        f"/api/v1/analytics/programs/{offer.program_id}?days=30"
    )
    assert figures.json()["trend"]["totals"]["conversions"] == 1

    # And the candidate got nothing else.
    assert len(mail.outbox) == 1
