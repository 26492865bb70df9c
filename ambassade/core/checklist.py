"""The new organisation's checklist on the console home, computed from the data.

Each step belongs to the app that knows whether it is done: an app adds a
``checklist.py`` module with functions decorated ``@checklist_step(...)`` that answer
"is it done?" for an organisation. Nothing is stored: a step ticks itself as soon as
the data says so (and unticks if the data goes away), and the list disappears from
the console home once every step is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from ambassade.core.models import Organisation

DoneFunction = Callable[[Organisation], bool]


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    url: str
    done: bool


_STEPS: dict[str, tuple[int, Promise, str, DoneFunction]] = {}


def checklist_step(
    order: int, code: str, label: Promise, url_name: str
) -> Callable[[DoneFunction], DoneFunction]:
    def register(function: DoneFunction) -> DoneFunction:
        _STEPS[code] = (order, label, url_name, function)
        return function

    return register


def checklist(organisation: Organisation) -> list[Step]:
    autodiscover_modules("checklist")
    return [
        Step(code=code, label=str(label), url=reverse(url_name), done=done(organisation))
        for code, (_order, label, url_name, done) in sorted(
            _STEPS.items(), key=lambda item: item[1][0]
        )
    ]
