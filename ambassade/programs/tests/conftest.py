"""Fixtures of the programs tests: a program with a published charter, and running mails."""

from __future__ import annotations

import pytest

from ambassade.core.authz import actor_for_person
from ambassade.programs import actions
from ambassade.programs.models import AmbassadorType, Program

CHARTER_FR = "<h2>Rôles</h2><p>Chacun reste propriétaire de ses comptes.</p>"
CHARTER_EN = "<h2>Roles</h2><p>Your accounts remain yours.</p>"


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    """Background work runs at once, after the request's transaction commits.

    Use it as a context manager around the request whose mails a test reads.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def as_actor(person):
    person.__dict__.pop("role_set", None)  # roles may have changed since it was cached
    return actor_for_person(person)


@pytest.fixture
def program(persona) -> Program:
    marketer = as_actor(persona.marketer)
    created = actions.create_program(
        marketer,
        name="Marque employeur",
        description="Faire connaître nos métiers.",
        objectives=["employer_brand"],
    )
    version = actions.save_charter_draft(marketer, created, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    actions.publish_charter(marketer, version)
    return created


def kind(organisation, code: str) -> AmbassadorType:
    return AmbassadorType.objects.get(organisation=organisation, kind=code)


@pytest.fixture
def invite(persona, program):
    """invite(person) -> an open invitation of the program, sent by HR."""

    def make(person, ambassador_type: str = "supporter", target: Program | None = None):
        target = target or program
        [sent], _ = actions.invite(
            as_actor(persona.hr),
            target,
            [person],
            ambassador_type=kind(target.organisation, ambassador_type),
        )
        return sent

    return make


@pytest.fixture
def enrol(invite):
    """enrol(person) -> an active enrolment, through an accepted invitation."""

    def make(person, ambassador_type: str = "supporter"):
        invitation = invite(person, ambassador_type)
        return actions.accept_invitation(as_actor(person), invitation, charter_accepted=True)

    return make
