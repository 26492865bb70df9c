"""Fixtures of the field tests: the ambassador persona enrolled in a program, images made
in memory, JSON calls, and the events' subscribers run at commit."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from ambassade.programs.models import AmbassadorType, Enrolment, Program


@pytest.fixture(autouse=True)
def _tasks_at_once_and_mail_in_memory(settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def program(persona) -> Program:
    return Program.objects.create(organisation=persona.organisation, name="Ventes terrain")


@pytest.fixture
def enrolled(persona, program) -> Any:
    kind, _created = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    Enrolment.objects.create(
        program=program,
        person=persona.ambassador,
        ambassador_type=kind,
        status=Enrolment.Status.ACTIVE,
    )
    return persona.ambassador


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


@pytest.fixture
def file_lead(client_for, run_events) -> Any:
    """file_lead(person, kind="sales_lead", **more) -> the report's id, filed via the API."""

    def file(person: Any, kind: str = "sales_lead", **more: Any) -> int:
        body = {"kind": kind, "text": "Dupont SA cherche 40 licences.", **more}
        response = run_events(
            lambda: send(client_for(person), "post", "/api/v1/field/reports", body)
        )
        assert response.status_code == 201, response.content
        return int(response.json()["id"])

    return file
