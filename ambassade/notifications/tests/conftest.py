"""Fixtures of the notifications tests: mail in memory, tasks at once, events produced."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ambassade.core import events
from ambassade.notifications import delivery
from ambassade.notifications.models import Settings

# The sharing fixtures: a fake network, an enrolled ambassador, an item, a connected account.
from ambassade.sharing.tests.conftest import (  # noqa: F401
    account,
    enrolled,
    fake,
    item,
    no_quiet_hours,
    program,
)


@pytest.fixture(autouse=True)
def _mail_in_memory_and_tasks_at_once(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def produce(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """produce(name, organisation, **payload): records an event as an action would, then
    runs its subscribers and their after-commit work."""

    def record(name: str, organisation: Any, **payload: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return events.record(name, organisation, **payload)

    return record


def awake(person: Any) -> None:
    """Quiet hours that never include now (empty window); the person reads English."""
    person.user.language = "en"
    person.user.save(update_fields=["language"])
    Settings.objects.update_or_create(
        person=person, defaults={"quiet_start": time(0, 0), "quiet_end": time(0, 0)}
    )


def asleep(person: Any) -> None:
    """Quiet hours around the person's current local time."""
    person.user.language = "en"
    person.user.save(update_fields=["language"])
    local = timezone.now().astimezone(delivery.zone_of(person))
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    Settings.objects.update_or_create(
        person=person, defaults={"quiet_start": start, "quiet_end": end}
    )
