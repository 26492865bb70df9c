"""Gates registered by apps above sharing close sharing and connecting, with their reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ambassade.programs import selectors
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.programs.selectors import ShareDecision, may_connect, may_share
from ambassade.testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def closes_linkedin(person: Any, program: Any, network: str | None) -> ShareDecision | None:
    if network == "linkedin":
        return ShareDecision(False, "Pass “LinkedIn basics” first.", link="/learn/1/")
    return None


@pytest.fixture
def linkedin_gate() -> Iterator[None]:
    selectors.register_share_gate(closes_linkedin)
    selectors.register_share_gate(closes_linkedin)  # twice keeps one
    yield
    selectors._share_gates.remove(closes_linkedin)
    assert closes_linkedin not in selectors._share_gates


def test_a_gate_closes_its_network_only_with_its_reason_and_link(linkedin_gate: None) -> None:
    organisation: Any = OrganisationFactory()
    person: Any = PersonFactory(organisation=organisation)
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    Enrolment.objects.create(program=program, person=person, ambassador_type=kind)

    assert may_share(person, program).allowed
    assert may_share(person, program, "bluesky").allowed
    refused = may_share(person, program, "linkedin")
    assert not refused
    assert refused.reason == "Pass “LinkedIn basics” first."
    assert refused.link == "/learn/1/"
    assert not may_connect(person, "linkedin")
    assert may_connect(person, "mastodon")


def test_the_charter_is_asked_before_any_gate(linkedin_gate: None) -> None:
    organisation: Any = OrganisationFactory()
    person: Any = PersonFactory(organisation=organisation)
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    refused = may_share(person, program, "linkedin")
    assert refused.reason == "You are not enrolled in this program."
