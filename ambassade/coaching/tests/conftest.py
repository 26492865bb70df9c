"""Fixtures of the coaching tests: the coach persona coaches the ambassador persona;
another coach coaches nobody; images made in memory."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from ambassade.coaching.models import CoachAssignment
from ambassade.core.roles import Role
from ambassade.testing.factories import PersonFactory


@pytest.fixture(autouse=True)
def _tasks_at_once_and_mail_in_memory(settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def coached(persona) -> Any:
    """The ambassador persona has the coach persona as coach."""
    CoachAssignment.objects.create(
        organisation=persona.organisation, coach=persona.coach, ambassador=persona.ambassador
    )
    return persona


@pytest.fixture
def other_coach(persona) -> Any:
    return PersonFactory(
        organisation=persona.organisation,
        email="other.coach@example.com",
        roles=[Role.COACH],
        with_user=True,
    )


def png(width: int = 40, height: int = 30) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(output, "PNG")
    return output.getvalue()


def send(client: Any, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(
        path, json.dumps(body) if body is not None else "", content_type="application/json"
    )


@pytest.fixture
def run_events(django_capture_on_commit_callbacks) -> Any:
    """run_events(callable): runs it, then what it left for after commit (the events'
    subscribers and their notifications)."""

    def run(work: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    return run
