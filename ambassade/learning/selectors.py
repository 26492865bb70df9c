"""Read-only questions about training: what is required of a person, what they passed,
their path, and the latest published version of a module."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation

from ambassade.learning.models import Attempt, Module, ModuleStatus, ModuleVersion, Requirement
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program


def modules_of(organisation_id: int) -> QuerySet[Module]:
    return Module.objects.filter(organisation_id=organisation_id)


def latest_version(module: Module) -> ModuleVersion | None:
    return module.versions.order_by("-number").first()


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later, the month's last day when it has fewer days."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def expiry_of(passed_at: datetime, refresher_months: int | None) -> datetime | None:
    """When a pass stops counting (None: never)."""
    if not refresher_months:
        return None
    return add_months(passed_at, refresher_months)


def type_ids_of(person: Person, program: Program | None = None) -> QuerySet[Any]:
    """The ambassador types of the person's current enrolments (in one program, if given)."""
    enrolments = Enrolment.objects.filter(
        person=person, program__organisation_id=person.organisation_id
    ).exclude(status=Enrolment.Status.ENDED)
    if program is not None:
        enrolments = enrolments.filter(program=program)
    return enrolments.values("ambassador_type_id")


def requirements_for(
    person: Person, type_ids: Any, *, required: bool | None = True
) -> QuerySet[Requirement]:
    """The requirements of published modules that apply to these types (or to everyone)."""
    found = Requirement.objects.filter(
        module__organisation_id=person.organisation_id,
        module__status=ModuleStatus.PUBLISHED,
    ).filter(Q(ambassador_type__isnull=True) | Q(ambassador_type_id__in=type_ids))
    if required is not None:
        found = found.filter(required=required)
    return found.select_related("module")


def last_passes(person: Person, module_ids: list[int] | None = None) -> dict[int, datetime]:
    """module id -> when the person last passed it (whatever the version)."""
    attempts = Attempt.objects.filter(person=person, passed=True)
    if module_ids is not None:
        attempts = attempts.filter(module_id__in=module_ids)
    return dict(
        attempts.values("module_id")
        .annotate(last=Max("submitted_at"))
        .values_list("module_id", "last")
    )


def counts_now(module: Module, passed_at: datetime | None, now: datetime) -> bool:
    if passed_at is None:
        return False
    expiry = expiry_of(passed_at, module.refresher_months)
    return expiry is None or expiry > now


@dataclass
class PathEntry:
    module: Module
    version: ModuleVersion
    required: bool
    networks: list[str] = field(default_factory=list)
    passed_at: datetime | None = None
    expires_at: datetime | None = None
    last_score: int | None = None
    title: str = ""  # in the reader's language

    @property
    def state(self) -> str:
        """passed, expired (a refresher is due) or to_do."""
        if self.passed_at is None:
            return "to_do"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "passed"

    @property
    def done(self) -> bool:
        return self.state == "passed"


def path_of(person: Person) -> list[PathEntry]:
    """The person's published modules: required first (for their types, any network
    before network-specific ones), then the suggested and the other published ones."""
    type_ids = type_ids_of(person)
    applying = list(requirements_for(person, type_ids, required=None))
    modules = {
        module.pk: module
        for module in modules_of(person.organisation_id).filter(status=ModuleStatus.PUBLISHED)
    }
    versions: dict[int, ModuleVersion] = {}
    for version in ModuleVersion.objects.filter(module_id__in=modules).order_by("number"):
        versions[version.module_id] = version  # the last one wins
    required: dict[int, list[str]] = {}
    for requirement in applying:
        if requirement.required:
            required.setdefault(requirement.module_id, [])
            if requirement.network:
                required[requirement.module_id].append(requirement.network)
    passes = last_passes(person, list(modules))
    scores = dict(
        Attempt.objects.filter(person=person, module_id__in=list(modules))
        .exclude(submitted_at=None)
        .order_by("module_id", "submitted_at")
        .values_list("module_id", "score")
    )
    entries = []
    for module_id, module in modules.items():
        latest = versions.get(module_id)
        if latest is None:
            continue
        passed_at = passes.get(module_id)
        entries.append(
            PathEntry(
                module=module,
                version=latest,
                required=module_id in required,
                networks=sorted(set(required.get(module_id, []))),
                passed_at=passed_at,
                expires_at=expiry_of(passed_at, module.refresher_months) if passed_at else None,
                last_score=scores.get(module_id),
                title=latest.title_for(translation.get_language() or "en"),
            )
        )
    entries.sort(key=lambda e: (not e.required, bool(e.networks), e.done, e.module.pk))
    return entries


def next_step(entries: list[PathEntry]) -> PathEntry | None:
    """The first required module not passed (or due for a refresher), else a suggestion."""
    for entry in entries:
        if entry.required and not entry.done:
            return entry
    for entry in entries:
        if not entry.done:
            return entry
    return None
