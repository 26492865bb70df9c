"""Deterministic demo data, built in steps that each app contributes.

An app adds a ``demo.py`` module with a function decorated ``@demo_step(order)``;
the steps run in order inside one transaction, sharing one seeded random generator
and a ``DemoContext`` that earlier steps fill for later ones. The same seed always
gives the same organisation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

DEMO_PASSWORD = "ambassade-demo"  # printed by `make run`; demo accounts only  # noqa: S105


@dataclass
class DemoContext:
    people: int
    days: int
    seed: int
    today: date
    rng: random.Random
    progress: Callable[[str], None]
    objects: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


StepFunction = Callable[[DemoContext], None]
_STEPS: list[tuple[int, str, StepFunction]] = []


def demo_step(order: int) -> Callable[[StepFunction], StepFunction]:
    def register(function: StepFunction) -> StepFunction:
        name = f"{function.__module__}.{function.__name__}"
        if all(existing != name for _, existing, _ in _STEPS):
            _STEPS.append((order, name, function))
        return function

    return register


def build(
    *, people: int, days: int, seed: int, today: date, progress: Callable[[str], None]
) -> DemoContext:
    autodiscover_modules("demo")
    context = DemoContext(
        people=people, days=days, seed=seed, today=today, rng=random.Random(seed), progress=progress
    )
    with transaction.atomic():
        for _, name, function in sorted(_STEPS):
            app, function_name = name.split(".")[1], name.rsplit(".", 1)[1]
            progress(f"{app}: {function_name.replace('_', ' ')}")
            function(context)
    return context
