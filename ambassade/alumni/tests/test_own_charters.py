"""Charters of their own: partners, like alumni, share only under their kind's current
charter; the program's general charter never stands in for it (programs.selectors)."""

from __future__ import annotations

from typing import Any

import pytest

from ambassade.alumni.tests.conftest import publish_charter
from ambassade.people.models import Membership
from ambassade.programs import actions as program_actions
from ambassade.programs.models import AmbassadorKind, Enrolment, Program
from ambassade.programs.selectors import may_share, published_charter
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_partner_shares_only_under_the_partner_charter(persona) -> None:
    program = Program.objects.create(organisation=persona.organisation, name="Réseau vendeurs")
    types = {
        found.kind: found for found in program_actions.ensure_default_types(persona.organisation)
    }
    general = publish_charter(program)
    assert published_charter(program, AmbassadorKind.PARTNER) is None
    partner: Any = PersonFactory(
        organisation=persona.organisation,
        email="vendeuse@independante.example",
        membership=Membership.PARTNER,
        with_user=True,
    )
    enrolment = Enrolment.objects.create(
        program=program,
        person=partner,
        ambassador_type=types[AmbassadorKind.PARTNER],
        accepted_version=general,
    )
    refused = may_share(partner, program)
    assert not refused.allowed and "partner charter" in str(refused.reason)
    own = publish_charter(program, AmbassadorKind.PARTNER)
    assert published_charter(program, AmbassadorKind.PARTNER) == own
    assert not may_share(partner, program).allowed  # accepted the general one only
    Enrolment.objects.filter(pk=enrolment.pk).update(accepted_version=own)
    assert may_share(partner, program).allowed
    # An employee of the same program still shares under the general charter.
    employee = Enrolment.objects.create(
        program=program,
        person=persona.ambassador,
        ambassador_type=types["supporter"],
        accepted_version=general,
    )
    assert employee.accepted_version == published_charter(program, "supporter")
