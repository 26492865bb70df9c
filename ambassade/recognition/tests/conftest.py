"""Fixtures of the recognition tests: the sharing tests' program, item and fake network,
and tasks and event deliveries that run at once."""

from __future__ import annotations

import pytest

from ambassade.sharing.tests.conftest import (  # noqa: F401 (fixtures reused here)
    account,
    enrolled,
    fake,
    item,
    no_quiet_hours,
    program,
)


@pytest.fixture
def events_at_once(settings):
    """Tasks (event deliveries among them) run when enqueued, mail stays in memory."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
