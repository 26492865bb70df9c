"""Fixtures of the incidents tests: a published post of an ambassador who has a coach."""

from __future__ import annotations

from typing import Any

import pytest

from ambassade.coaching.models import CoachAssignment
from ambassade.sharing import actions, publishing
from ambassade.sharing.actions.shares import TargetRequest

# The sharing fixtures: a fake network, an enrolled ambassador, an item, a connected account.
from ambassade.sharing.tests.conftest import (  # noqa: F401
    PERSONAL,
    account,
    as_actor,
    enrolled,
    fake,
    item,
    no_quiet_hours,
    program,
)


@pytest.fixture(autouse=True)
def _mail_in_memory_and_tasks_at_once(settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coached(persona, enrolled) -> Any:  # noqa: F811
    """The enrolled ambassador, coached by the coach persona."""
    CoachAssignment.objects.create(
        organisation=persona.organisation, coach=persona.coach, ambassador=enrolled
    )
    return enrolled


@pytest.fixture
def published(coached, item, account, no_quiet_hours) -> Any:  # noqa: F811
    share = actions.create_share(
        as_actor(coached), item, PERSONAL, [TargetRequest(account_id=account.pk)], when="now"
    )
    target = share.targets.get()
    assert publishing.publish(target.pk) == "published"
    target.refresh_from_db()
    return target


@pytest.fixture
def reporting(client_for, django_capture_on_commit_callbacks):
    """reporting(person, data, post=None): the report form posted, its notices delivered."""

    def post(person: Any, data: dict[str, Any], target: Any = None) -> Any:
        url = "/me/reports/new" + (f"?post={target.pk}" if target is not None else "")
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(person).post(url, data)

    return post
