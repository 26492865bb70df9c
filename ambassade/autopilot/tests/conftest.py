"""Fixtures of the autopilot tests: the sharing tests' ambassador, account and fake
network, a channel, and items published through content's own action."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ambassade.content.actions import workflow
from ambassade.content.models import Channel, ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.sharing.tests import conftest as sharing

# The sharing tests' ambassador, program, account, fake network and settings.
account = sharing.account
enrolled = sharing.enrolled
fake = sharing.fake
no_quiet_hours = sharing.no_quiet_hours
program = sharing.program

API = "/api/v1/autopilot"
WORDS = "Je travaille ici depuis six ans et je le recommande : {title} {link}"


def send(client: Any, method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(API + path)
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def setup(settings, no_quiet_hours) -> None:
    """Tasks (event deliveries among them) run when enqueued; colleagues' posts of an
    item need no gap (the stagger is tested by sharing)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    no_quiet_hours.stagger_minutes = 0
    no_quiet_hours.save()


@pytest.fixture
def channel(persona) -> Channel:
    return Channel.objects.create(organisation=persona.organisation, name="Recrutement")


@pytest.fixture
def publish(persona, program, channel, django_capture_on_commit_callbacks) -> Callable:
    """publish("title") -> the item, published by the marketer in the channel, its event
    delivered (and whatever that queued run) before returning."""

    def run(title: str, into: Channel | None = None) -> ContentItem:
        item = ContentItem.objects.create(
            organisation=persona.organisation,
            program=program,
            kind=Kind.ARTICLE,
            status=Status.DRAFT,
            title=title,
            description="Vingt postes d'ingénieurs.",
            url="https://verdier.example/jobs/lyon",
            language="fr",
        )
        item.channels.add(into or channel)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(actor_for_person(persona.marketer), item)
        item.refresh_from_db()
        assert item.status == Status.PUBLISHED
        return item

    return run


@pytest.fixture
def turn_on(client_for, enrolled, account, channel) -> Callable:
    def run(**changes: Any) -> Any:
        body = {
            "enabled": True,
            "template": WORDS,
            "per_week": 3,
            "channel_ids": [channel.pk],
            "account_ids": [account.pk],
            **changes,
        }
        return send(client_for(enrolled), "put", "/me", body)

    return run
