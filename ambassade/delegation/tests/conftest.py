"""Fixtures of the delegation tests: the ambassador persona is the principal (enrolled,
with a connected account on the fake network and an item in their feed); the employee
persona is named their delegate."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ambassade.delegation.models import Delegation
from ambassade.people.models import ApiToken, hash_token
from ambassade.sharing.models import SharingSettings
from ambassade.sharing.tests.conftest import (  # noqa: F401 (fixtures)
    account,
    enrolled,
    fake,
    item,
    program,
)


@pytest.fixture(autouse=True)
def _tasks_at_once_and_mail_in_memory(settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def open_hours(persona) -> SharingSettings:
    return SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=None, quiet_end=None, stagger_minutes=0
    )


@pytest.fixture
def delegation(persona, account, item, open_hours) -> Delegation:  # noqa: F811
    """The ambassador (principal) named the employee (delegate)."""
    return Delegation.objects.create(
        organisation=persona.organisation, principal=persona.ambassador, delegate=persona.employee
    )


def send(client: Any, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    return getattr(client, method)(
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        **extra,
    )


def bearer(person: Any, scopes: list[str], secret: str) -> dict[str, str]:
    ApiToken.objects.create(
        organisation=person.organisation,
        person=person,
        name="t",
        scopes=scopes,
        secret_hash=hash_token(secret),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def run_events(django_capture_on_commit_callbacks) -> Any:
    """run_events(callable): runs it, then what it left for after commit."""

    def run(work: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    return run
