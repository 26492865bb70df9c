"""A new organisation's checklist ticks itself from the data, on the console and in the API."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.content.models import Source
from ambassade.core.authz import actor_for_person
from ambassade.people.actions import create_organisation, invite_to_sign_in
from ambassade.people.models import Person
from ambassade.programs import actions as programs
from ambassade.programs import charter
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db

STEPS = ["charter", "program", "content_source", "invitations"]


@pytest.fixture
def new_organisation(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return create_organisation(
        name="Acme",
        admin_email="alice@acme.example",
        admin_name="Alice Martin",
        languages="fr,en",
        time_zone="Europe/Paris",
        password="correct horse battery staple 42",
    )


def ticks(client: Client) -> dict[str, bool]:
    response = client.get("/api/v1/organisation/checklist")
    assert response.status_code == 200
    body = response.json()
    assert [step["code"] for step in body["steps"]] == STEPS
    assert body["done"] == all(step["done"] for step in body["steps"])
    return {step["code"]: step["done"] for step in body["steps"]}


def test_the_checklist_ticks_itself_as_things_are_done(new_organisation):
    admin = new_organisation.admin
    actor = actor_for_person(admin)
    admin.user.language = "en"  # the setup chose French (the first language); read in English
    admin.user.save(update_fields=["language"])
    client = Client()
    client.force_login(admin.user)

    assert ticks(client) == dict.fromkeys(STEPS, False)
    page = client.get("/console/").content.decode()
    assert "Getting started" in page and "Write and publish the charter" in page
    assert "4 steps left" in page

    program = programs.create_program(actor, name="Employer brand", objectives=["employer_brand"])
    assert ticks(client) == {**dict.fromkeys(STEPS, False), "program": True}

    draft = programs.save_charter_draft(
        actor,
        program,
        body_fr=charter.template_source("fr") + "Texte",
        body_en=charter.template_source("en") + "Text",
    )
    assert ticks(client)["charter"] is False  # a draft is not yet a charter
    programs.publish_charter(actor, draft)
    Source.objects.create(
        organisation=admin.organisation, program=program, url="https://acme.example/feed.xml"
    )
    assert ticks(client) == {**dict.fromkeys(STEPS, True), "invitations": False}
    assert "1 step left" in client.get("/console/").content.decode()

    colleague = Person.objects.create(
        organisation=admin.organisation,
        first_name="Bob",
        last_name="Durand",
        email="bob@acme.example",
    )
    invite_to_sign_in(actor, colleague)
    assert ticks(client) == dict.fromkeys(STEPS, True)
    assert client.get("/api/v1/organisation/checklist").json()["done"] is True
    # Done: the console home no longer shows it.
    assert "Getting started" not in client.get("/console/").content.decode()


def test_the_checklist_is_in_french(new_organisation):
    client = Client()
    client.force_login(new_organisation.admin.user)
    response = client.get("/api/v1/organisation/checklist")
    labels = [step["label"] for step in response.json()["steps"]]
    assert labels[0] == "Rédiger et publier la charte"


def test_another_organisations_data_does_not_tick_it(new_organisation, persona):
    program = Program.objects.create(organisation=persona.outsider.organisation, name="Elsewhere")
    Source.objects.create(
        organisation=persona.outsider.organisation,
        program=program,
        url="https://elsewhere.example/feed.xml",
    )
    client = Client()
    client.force_login(new_organisation.admin.user)
    assert ticks(client)["content_source"] is False
