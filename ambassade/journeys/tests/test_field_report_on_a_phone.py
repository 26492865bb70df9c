"""An ambassador reports a sales lead from a 360-pixel phone, in French; sales management
answers it; the ambassador reads the answer on "Mes remontées du terrain".

On every page of the phone: nothing wider than the screen, nothing to use off-screen,
the whole bottom bar inside the screen (ambassade/testing/phone.py); no English string of
our catalogue and no raw code (ambassade/testing/french.py); no console error or CSP
violation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from ambassade.core.roles import Role
from ambassade.field.models import FieldReport
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import bottom_bar, check_layout

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
WIDTH, HEIGHT = 360, 740
LEAD = "La coopérative laitière de Vienne cherche un système de supervision pour trois sites."
ANSWER = "Merci Inès : nous appelons la coopérative mardi, vous êtes en copie."


def _signed_in_client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_an_ambassador_reports_a_sales_lead_from_the_phone_and_reads_the_answer_in_french(
    live_server: LiveServer, new_page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-field")
    ines: Any = PersonFactory(
        organisation=organisation,
        email="ines@example.com",
        first_name="Inès",
        roles=[Role.AMBASSADOR],
        languages=["fr"],
        with_user=True,
    )
    sales: Any = PersonFactory(
        organisation=organisation,
        email="direction.ventes@example.com",
        roles=[Role.SALES_MANAGEMENT],
        languages=["fr"],
        with_user=True,
    )
    program = Program.objects.create(organisation=organisation, name="Ventes terrain")
    supporter, _created = AmbassadorType.objects.get_or_create(
        organisation=organisation, kind="supporter"
    )
    Enrolment.objects.create(
        program=program, person=ines, ambassador_type=supporter, status=Enrolment.Status.ACTIVE
    )
    for person in (ines, sales):
        person.user.language = "fr"
        person.user.save(update_fields=["language"])

    reader = FrenchReader()
    problems: set[str] = set()
    errors: list[str] = []
    phone = new_page(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    phone.set_default_timeout(60_000)
    phone.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    cookie = _signed_in_client(ines).cookies["sessionid"].value
    phone.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])

    def look(where: str) -> None:
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.lang") == "fr", where
        check_layout(phone, WIDTH, HEIGHT, where, signed_in=True)
        assert len(bottom_bar(phone)) == 5, where
        problems.update(reader.problems_in_page(where, phone.content()))

    # From "Moi", a few taps: the report's form, a sales lead, its words, send.
    phone.goto(f"{live_server.url}/me/")
    look("me")
    phone.get_by_role("link", name="Remonter une info du terrain").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes remontées du terrain")
    look("my field reports, none yet")
    phone.get_by_role("link", name="Remonter une info du terrain").click()
    look("the report's form")
    phone.get_by_label("Piste commerciale").check()
    phone.get_by_label("Qu’avez-vous vu ou entendu ?").fill(LEAD)
    phone.get_by_label("On peut me contacter à ce sujet").check()
    phone.get_by_label(re.compile("Cette remontée contient des données personnelles")).check()
    phone.get_by_role("button", name="Envoyer la remontée").click()
    expect(phone.locator(".flash")).to_contain_text("Merci : votre remontée est envoyée")
    look("my report, just sent")
    expect(phone.get_by_text("Pas encore de réponse")).to_be_visible()

    # Sales management owns the sales leads' queue: it answers and closes the report.
    report = FieldReport.objects.get()
    assert (report.owner_role, report.may_contact, report.personal_data) == (
        "sales_management",
        True,
        True,
    )
    console = _signed_in_client(sales)
    assert LEAD in console.get(f"/console/field-reports/{report.pk}/").content.decode()
    answered = console.post(
        f"/console/field-reports/{report.pk}/triage", {"status": "useful", "answer": ANSWER}
    )
    assert answered.status_code == 302

    # The ambassador reads the answer and the status, in French.
    phone.reload()
    expect(phone.locator("[data-answer]")).to_have_text(ANSWER)
    expect(phone.locator("[data-field-status=useful]")).to_have_text("Utile")
    look("my report, answered")
    phone.get_by_role("link", name=re.compile("Mes remontées du terrain")).click()
    expect(phone.locator("[data-status=useful]")).to_contain_text("Piste commerciale")
    look("my field reports, answered")

    assert not problems, "\n".join(sorted(problems))
    assert errors == []
