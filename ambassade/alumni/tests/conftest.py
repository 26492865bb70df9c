"""An alumni ambassador of Acme as the demo has one: left, chose to stay, enrolled in a
program as an alumni ambassador under the program's alumni charter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.programs import charter
from ambassade.programs.models import (
    AmbassadorType,
    CharterAcceptance,
    CharterVersion,
    Enrolment,
    Program,
)
from ambassade.sharing.models import SharingSettings
from ambassade.sharing.tests.conftest import fake  # noqa: F401 (the fake network)
from ambassade.testing.factories import PersonFactory


@pytest.fixture(autouse=True)
def _mail_in_memory_and_tasks_at_once(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def publish_charter(program: Program, kind: str = "", number: int | None = None) -> Any:
    body_fr, body_en = f"<p>Charte {kind or 'générale'}</p>", f"<p>Charter {kind or 'general'}</p>"
    return CharterVersion.objects.create(
        program=program,
        number=number or program.charter_versions.count() + 1,
        ambassador_kind=kind,
        body_fr=body_fr,
        body_en=body_en,
        status=CharterVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        content_hash=charter.content_hash(body_fr, body_en),
    )


@pytest.fixture
def program(persona) -> Program:
    found = Program.objects.create(
        organisation=persona.organisation, name="Marque employeur", open_to_alumni=True
    )
    SharingSettings.objects.create(
        organisation=persona.organisation, stagger_minutes=0, quiet_start=None, quiet_end=None
    )
    return found


@pytest.fixture
def general_charter(program) -> CharterVersion:
    return publish_charter(program)


@pytest.fixture
def alumni_charter(program, general_charter) -> CharterVersion:
    return publish_charter(program, "alumni")


@pytest.fixture
def alumni(persona, program, alumni_charter) -> Any:
    person: Any = PersonFactory(
        organisation=persona.organisation,
        email="ancienne@example.com",
        first_name="Inès",
        last_name="Moreau",
        employment_status="left",
        end_date=date.today() - timedelta(days=200),
        alumni=True,
        alumni_since=timezone.now() - timedelta(days=190),
        with_user=True,
    )
    kind, _ = AmbassadorType.objects.get_or_create(organisation=persona.organisation, kind="alumni")
    enrolment = Enrolment.objects.create(
        program=program,
        person=person,
        ambassador_type=kind,
        status=Enrolment.Status.ACTIVE,
        accepted_version=alumni_charter,
    )
    CharterAcceptance.objects.create(
        enrolment=enrolment,
        person=person,
        version=alumni_charter,
        content_hash=alumni_charter.content_hash,
        channel=CharterAcceptance.Channel.WEB,
    )
    return person


def make_item(persona, program, title: str, **fields: Any) -> ContentItem:
    values: dict[str, Any] = {
        "organisation": persona.organisation,
        "program": program,
        "kind": Kind.ARTICLE,
        "status": Status.PUBLISHED,
        "title": title,
        "url": "https://acme.example/news",
        "language": "fr",
        "published_at": timezone.now() - timedelta(hours=1),
    }
    values.update(fields)
    return ContentItem.objects.create(**values)
