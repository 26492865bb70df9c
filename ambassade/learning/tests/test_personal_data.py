"""A person's quiz results are in their data export, and erasure deletes them."""

from __future__ import annotations

import pytest

from ambassade.core import personal_data
from ambassade.learning.models import Attempt
from ambassade.learning.tests.conftest import enrol, pass_module

pytestmark = pytest.mark.django_db


def test_results_are_exported_then_forgotten(persona, program, module) -> None:
    enrol(program, persona.ambassador)
    pass_module(persona.ambassador, module)
    [result] = personal_data.collect(persona.ambassador)["training"]
    assert (result["module"], result["version"], result["passed"]) == (
        "Our publishing rules",
        1,
        True,
    )
    personal_data.anonymise(persona.ambassador)
    assert not Attempt.objects.filter(person=persona.ambassador).exists()
