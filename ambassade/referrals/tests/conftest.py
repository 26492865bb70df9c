"""Fixtures of the referrals tests: a published job offer, and background work at once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.programs.models import Program


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    """Background work runs at once, after the action's transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def job_offer(organisation, title: str = "Ingénieure procédés (H/F)") -> ContentItem:
    program = Program.objects.filter(organisation=organisation).first() or (
        Program.objects.create(organisation=organisation, name="Marque employeur")
    )
    return ContentItem.objects.create(
        organisation=organisation,
        program=program,
        kind=Kind.JOB,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        title=title,
        url="https://careers.example.com/jobs/42",
        apply_url="https://careers.example.com/jobs/42/apply",
        job_site="Lyon",
        contract_type="CDI",
    )


@pytest.fixture
def offer(persona) -> ContentItem:
    return job_offer(persona.organisation)


def link_in(message, name: str) -> str:
    """The path of the confirm or decline link in a mail to the candidate."""
    found = re.search(rf"https?://[^\s]+/referral/[^\s/]+/{name}", message.body)
    assert found is not None, message.body
    return "/" + found.group(0).split("/", 3)[3]


def outbox_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
