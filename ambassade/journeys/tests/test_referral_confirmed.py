"""Journey: an ambassador refers a candidate for a job offer of the feed, in French; the
candidate confirms through the one mail they get; the career site reports their
application with the referral's tracked link; HR and the referrer see "applied", and the
program's figures count the conversion.

Twice: with the test client (every status and count), and in Chromium on a 360-pixel
phone in French, where the ambassador taps "Recommander quelqu’un" on the offer's card
and the candidate confirms from the mail's link; on every page of the phone journey,
nothing wider than the screen, no English string of our catalogue and no raw code
(ambassade/testing/phone.py, ambassade/testing/french.py), no console error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

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
from ambassade.testing.browser import expect
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import bottom_bar, check_layout

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

WIDTH, HEIGHT = 360, 740


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _french(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


@pytest.mark.django_db
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
    with immediate_tasks():
        _career_site_reports_an_application(persona, code)
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
    _figures_count_one_conversion(client_for(persona.marketer), offer.program_id)

    # And the candidate got nothing else.
    assert len(mail.outbox) == 1


def _career_site_reports_an_application(persona: Any, code: str) -> None:
    secret = create_api_token(
        actor_for_person(persona.admin),
        name="Career site",
        scopes=[Scope.CONVERSIONS_WRITE],
        organisation_wide=True,
    )[1]
    career_site = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    reported = career_site.post(
        "/api/v1/conversions",
        {"reference": code, "kind": "application", "idempotency_key": "candidature-1"},
        content_type="application/json",
    )
    assert reported.status_code == 201, reported.content


def _figures_count_one_conversion(marketer: Client, program_id: int) -> None:
    rollup.update()
    figures = marketer.get(f"/api/v1/analytics/programs/{program_id}?days=30")
    assert figures.json()["trend"]["totals"]["conversions"] == 1


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_on_a_phone_in_french_a_referral_is_confirmed_and_shows_applied(
    live_server: LiveServer, new_page: Any, persona: Any, client_for: Any, settings: Any
) -> None:
    # The candidate's mail goes at once, in the request that refers them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.BASE_URL = live_server.url  # the mail's links open as they are written
    offer = job_offer(persona.organisation, "Ingénieure procédés (H/F)")
    persona.ambassador.user.language = "fr"
    persona.ambassador.user.save(update_fields=["language"])
    reader = FrenchReader()
    problems: set[str] = set()
    errors: list[str] = []

    def phone(*, signed_in_as: Any = None) -> Any:
        page = new_page(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
        page.set_default_timeout(30_000)
        page.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        if signed_in_as is not None:
            session = client_for(signed_in_as).cookies["sessionid"].value
            page.context.add_cookies(
                [{"name": "sessionid", "value": session, "url": live_server.url}]
            )
        return page

    def look(page: Any, where: str, *, signed_in: bool = True) -> None:
        """Every page of the journey: French, on the phone's screen."""
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == "fr", where
        check_layout(page, WIDTH, HEIGHT, where, signed_in=signed_in)
        assert len(bottom_bar(page)) == (5 if signed_in else 0), where
        problems.update(reader.problems_in_page(where, page.content()))

    # The ambassador finds the offer in their feed and taps "Recommander quelqu'un".
    ambassador = phone(signed_in_as=persona.ambassador)
    ambassador.goto(f"{live_server.url}/feed/")
    look(ambassador, "the feed")
    card = ambassador.locator("article.feed-card", has_text="Ingénieure procédés (H/F)")
    card.get_by_role("link", name="Recommander quelqu’un").click()
    expect(ambassador).to_have_url(re.compile(rf"/feed/{offer.pk}/refer/$"))
    expect(
        ambassador.get_by_text("Pour l’offre d’emploi « Ingénieure procédés (H/F) »")
    ).to_be_visible()
    look(ambassador, "the referral form")
    ambassador.get_by_label("Son nom").fill("Camille Martin")
    ambassador.get_by_label("Son adresse e-mail").fill("camille@example.org")
    ambassador.get_by_role("button", name="Recommander", exact=True).click()
    expect(ambassador).to_have_url(re.compile(r"/me/referrals/$"))
    expect(ambassador.locator(".flash")).to_be_visible()
    expect(ambassador.get_by_text("En attente de la confirmation")).to_be_visible()
    look(ambassador, "my referrals, awaiting")

    # The candidate's one mail; they open its confirm link on their own phone, no account.
    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    confirm = re.search(rf"{re.escape(live_server.url)}/referral/[^\s/]+/confirm", message.body)
    assert confirm is not None, message.body
    candidate = phone()
    candidate.goto(confirm.group(0))
    look(candidate, "the candidate's confirmation", signed_in=False)
    candidate.get_by_role("button", name="Oui, je suis intéressé·e").click()
    expect(candidate.get_by_role("status")).to_contain_text("Merci, Camille Martin")
    look(candidate, "the candidate, confirmed", signed_in=False)
    offer_link = candidate.get_by_role("link", name="Voir l’offre").get_attribute("href") or ""
    found = re.search(r"/r/([A-Za-z0-9_-]+)$", offer_link)
    assert found is not None, offer_link

    # The career site reports the application with the referral's link, as for any link.
    _career_site_reports_an_application(persona, found.group(1))
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.APPLIED and referral.applied_at is not None

    # The ambassador's "Mes recommandations" shows it, in French.
    ambassador.goto(f"{live_server.url}/me/referrals/")
    row = ambassador.locator("li.card", has_text="Camille Martin")
    expect(row).to_contain_text("A postulé")
    expect(row).to_contain_text("Ingénieure procédés (H/F)")
    look(ambassador, "my referrals, applied")

    # The program's figures count the conversion; the candidate got nothing else.
    _figures_count_one_conversion(client_for(persona.marketer), offer.program_id)
    assert len(mail.outbox) == 1
    assert not problems, "\n".join(sorted(problems))
    assert errors == []
