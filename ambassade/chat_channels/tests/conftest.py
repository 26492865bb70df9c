"""Fixtures of the Slack and Teams tests: a program, a featured item, a channel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ambassade.chat_channels import actions
from ambassade.chat_channels.models import ChatChannel
from ambassade.content.models import ContentItem, Status
from ambassade.core.authz import actor_for_person
from ambassade.programs.models import Program

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def as_actor(person):
    person.__dict__.pop("role_set", None)
    return actor_for_person(person)


@pytest.fixture
def program(persona) -> Program:
    persona.organisation.default_language = "fr"  # the messages' language
    persona.organisation.save(update_fields=["default_language"])
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


@pytest.fixture
def item(persona, program) -> ContentItem:
    return ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Nous recrutons à Lyon",
        description="Vingt postes d'ingénieurs <b>&</b> techniciens.",
        url="https://www.example.com/jobs/lyon",
        image="previews/lyon.png",
        image_alt="L'usine de Lyon",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        featured=True,
    )


@pytest.fixture
def connect(persona, program):
    """connect(kind, url) -> a channel of the program, connected by the admin."""

    def make(kind: str, url: str, name: str = "#ambassadeurs", **options) -> ChatChannel:
        return actions.connect(
            as_actor(persona.admin), program, kind=kind, name=name, webhook_url=url, **options
        ).channel

    return make


@pytest.fixture
def stored(persona, program):
    """stored(kind, url) -> a channel saved as connect() would, without resolving its host
    (the tests have no DNS for public names)."""

    def make(kind: str, url: str, name: str = "#ambassadeurs") -> ChatChannel:
        channel = ChatChannel(
            organisation=persona.organisation, program=program, kind=kind, name=name
        )
        channel.store_webhook(url, url.split("/")[2])
        channel.save()
        return channel

    return make
