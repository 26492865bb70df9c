"""Completion of the required modules, for HR and the program owners: by module, by
department (groups smaller than the organisation's smallest group are merged, as the
dashboards do), and the time from being asked to passing.

Those who manage training see everyone; another console role sees the people of the
programs they own. A person is *concerned* by a module when one of their current
enrolments has a type it is required for (or it is required of every type).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.analytics import value
from ambassade.core.authz import Actor, allowed
from ambassade.learning import selectors
from ambassade.learning.models import Attempt, Module, ModuleStatus, ModuleVersion, Requirement
from ambassade.programs.models import Enrolment


@dataclass
class Line:
    label: str
    concerned: int = 0
    passed: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def rate(self) -> int:
        return round(100 * self.passed / self.concerned) if self.concerned else 0

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None


@dataclass
class ModuleProgress:
    module_id: int
    title: str
    total: Line
    departments: list[Line]
    withheld: int = 0  # people in groups too small to show even merged


@dataclass
class Progress:
    modules: list[ModuleProgress]
    threshold: int
    scope_all: bool


def _enrolments(actor: Actor) -> list[tuple[int, int, int | None, datetime]]:
    found = Enrolment.objects.filter(program__organisation=actor.organisation).exclude(
        status=Enrolment.Status.ENDED
    )
    if not allowed(actor, "learning.manage"):
        found = found.filter(program__owners=actor.person) if actor.person else found.none()
    return list(
        found.values_list("person_id", "ambassador_type_id", "person__department_id", "started_at")
    )


def build(actor: Actor) -> Progress:
    if not allowed(actor, "learning.view"):
        raise PermissionError
    organisation = actor.organisation
    threshold = value.settings_for(organisation.pk).small_group
    language = translation.get_language() or "en"
    enrolments = _enrolments(actor)
    types_of: dict[int, set[int]] = defaultdict(set)
    department_of: dict[int, int | None] = {}
    since: dict[int, datetime] = {}
    for person_id, type_id, department_id, started_at in enrolments:
        types_of[person_id].add(type_id)
        department_of[person_id] = department_id
        since[person_id] = min(since.get(person_id, started_at), started_at)
    departments = dict(organisation.departments.values_list("pk", "name"))
    requirements = list(
        Requirement.objects.filter(
            module__organisation=organisation, module__status=ModuleStatus.PUBLISHED, required=True
        ).select_related("module")
    )
    first_published = dict(
        ModuleVersion.objects.filter(module__organisation=organisation)
        .values("module_id")
        .annotate(first=Min("published_at"))
        .values_list("module_id", "first")
    )
    first_passes = _passes(organisation.pk, Min)
    modules: dict[int, tuple[Module, set[int | None]]] = {}
    for requirement in requirements:
        module, kinds = modules.setdefault(requirement.module_id, (requirement.module, set()))
        kinds.add(requirement.ambassador_type_id)
    now = timezone.now()
    last_passes = _passes(organisation.pk, Max)
    result = []
    for module_id, (module, kinds) in sorted(modules.items()):
        everyone = None in kinds
        total = Line(_("Everyone concerned"))
        by_department: dict[int | None, Line] = {}
        for person_id, person_types in types_of.items():
            if not everyone and not (person_types & kinds):
                continue
            department = department_of[person_id]
            line = by_department.setdefault(
                department, Line(departments.get(department or 0, "") or _("No department"))
            )
            done = selectors.counts_now(module, last_passes.get((person_id, module_id)), now)
            for target in (total, line):
                target.concerned += 1
                if done:
                    target.passed += 1
            first = first_passes.get((person_id, module_id))
            if done and first is not None:
                asked = max(since[person_id], first_published.get(module_id, since[person_id]))
                days = max((first - asked).total_seconds() / 86400, 0)
                total.days.append(days)
                line.days.append(days)
        shown, small = [], Line(_("Smaller groups, together"))
        for line in sorted(by_department.values(), key=lambda line: line.label):
            if line.concerned >= threshold:
                shown.append(line)
            else:
                small.concerned += line.concerned
                small.passed += line.passed
                small.days.extend(line.days)
        withheld = 0
        if small.concerned >= threshold:
            shown.append(small)
        else:
            withheld = small.concerned
        result.append(
            ModuleProgress(
                module_id=module_id,
                title=module.title_for(language),
                total=total,
                departments=shown,
                withheld=withheld,
            )
        )
    return Progress(result, threshold, allowed(actor, "learning.manage"))


def _passes(organisation_id: int, which: type[Min] | type[Max]) -> dict[tuple[int, int], datetime]:
    """(person, module) -> the first (Min) or last (Max) pass, of the whole organisation:
    one query, however many people (the scope is applied by the caller's loop)."""
    return {
        (person_id, module_id): when
        for person_id, module_id, when in Attempt.objects.filter(
            organisation_id=organisation_id, passed=True
        )
        .values("person_id", "module_id")
        .annotate(when=which("submitted_at"))
        .values_list("person_id", "module_id", "when")
    }


def as_csv(progress: Progress) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        [
            _("Module"),
            _("Group"),
            _("Concerned"),
            _("Passed"),
            _("Completion (%)"),
            _("Median days to pass"),
        ]
    )
    for module in progress.modules:
        for line in [module.total, *module.departments]:
            median = line.median_days
            writer.writerow(
                [
                    module.title,
                    line.label,
                    line.concerned,
                    line.passed,
                    line.rate,
                    "" if median is None else median,
                ]
            )
    return output.getvalue()
