"""Fixtures of the crisis tests: the sharing fixtures, tasks at once, and a spokesperson."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.programs.models import AmbassadorType, Enrolment
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.networks.base import Credentials

# The sharing fixtures: a fake network, an enrolled ambassador, an item, a connected account.
from ambassade.sharing.tests.conftest import (  # noqa: F401
    SECRET,
    account,
    enrolled,
    fake,
    item,
    no_quiet_hours,
    program,
)


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed(): …``: what runs after commit (tasks, event subscribers) runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def spokesperson(persona: Any, request: pytest.FixtureRequest) -> Any:
    """Internal communications' spokesperson: enrolled, with a connected account."""
    request.getfixturevalue("fake")
    enrolled_in = request.getfixturevalue("program")
    person = persona.employee
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    Enrolment.objects.create(
        program=enrolled_in, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )
    found = SocialAccount(
        organisation=person.organisation,
        person=person,
        network="fakenet",
        remote_id="fake-2",
        handle="@porte-parole@fake",
    )
    found.store(Credentials(secrets={"token": SECRET}))
    found.save()
    return person


def in_days(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()
