"""Fixtures of the people tests: background tasks run at once, on commit."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Queued work (mail) runs as soon as its transaction's on_commit callbacks run;
    tests that check mail wrap the request in ``django_capture_on_commit_callbacks``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.BASE_URL = "https://ambassade.example"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the on-commit work (mail) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
