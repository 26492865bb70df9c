"""What a dashboard shows: the time range and filters, and the rule that protects people.

A filter by department, site or ambassador type narrows the figures to a group of
people. When that group is smaller than the organisation's threshold (default 5), or
when subtracting it from a wider selection would leave such a group, the figures are
withheld: an admin must not see one person's figures through a filter of one person.
Groups are counted among everyone ever enrolled in the program, sharing or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils import timezone

from ambassade.analytics.models import DailyItemStats, DailyProgramStats, DailyShareStats
from ambassade.content.models import Channel
from ambassade.people.models import Department, Site
from ambassade.programs.models import AmbassadorType, Enrolment, Program

RANGES = (30, 90, 365)
DEFAULT_RANGE = 90


def utc_today() -> date:
    """Days of the figures are UTC days, whatever the server's or the person's time zone."""
    return timezone.now().astimezone(UTC).date()


def _id(params: Mapping[str, Any], name: str, allowed: set[int]) -> int | None:
    try:
        value = int(params.get(name) or 0)
    except (TypeError, ValueError):
        return None
    return value if value in allowed else None


@dataclass(frozen=True)
class Selection:
    days: int = DEFAULT_RANGE
    network: str = ""
    department: int | None = None
    site: int | None = None
    ambassador_type: int | None = None
    channel: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], options: Options | None = None) -> Selection:
        """Reads the query string; unknown values (or another organisation's) are ignored.

        Without ``options`` (pages without the group filters) only days and network count.
        """
        try:
            days = int(params.get("days") or DEFAULT_RANGE)
        except (TypeError, ValueError):
            days = DEFAULT_RANGE
        if options is None:
            options = Options([], [], [], [])
        return cls(
            days=days if days in RANGES else DEFAULT_RANGE,
            network=str(params.get("network") or "")[:32],
            department=_id(params, "department", options.department_ids),
            site=_id(params, "site", options.site_ids),
            ambassador_type=_id(params, "type", options.type_ids),
            channel=_id(params, "channel", options.channel_ids),
        )

    @property
    def narrows_people(self) -> bool:
        return any(v is not None for v in (self.department, self.site, self.ambassador_type))

    def start(self, today: date) -> date:
        return today - timedelta(self.days - 1)

    def previous(self, today: date) -> tuple[date, date]:
        """The period of the same length just before: the period-over-period comparison."""
        start = self.start(today)
        return start - timedelta(self.days), start - timedelta(1)

    def params(self) -> dict[str, Any]:
        values = {
            "days": self.days,
            "network": self.network,
            "department": self.department,
            "site": self.site,
            "type": self.ambassador_type,
            "channel": self.channel,
        }
        return {key: value for key, value in values.items() if value not in ("", None)}

    def query(self, **extra: Any) -> str:
        return urlencode({**self.params(), **extra})

    def without_people(self) -> Selection:
        return replace(self, department=None, site=None, ambassador_type=None)


@dataclass(frozen=True)
class Options:
    """The choices of the filter form, read once per page."""

    departments: list[tuple[int, str]]
    sites: list[tuple[int, str]]
    types: list[tuple[int, str]]
    channels: list[tuple[int, str]]

    @classmethod
    def of(cls, organisation_id: int) -> Options:
        return cls(
            departments=list(
                Department.objects.filter(organisation_id=organisation_id)
                .order_by("name")
                .values_list("pk", "name")
            ),
            sites=list(
                Site.objects.filter(organisation_id=organisation_id)
                .order_by("name")
                .values_list("pk", "name")
            ),
            types=[
                (kind.pk, kind.label)
                for kind in AmbassadorType.objects.filter(organisation_id=organisation_id)
            ],
            channels=list(
                Channel.objects.filter(organisation_id=organisation_id)
                .order_by("name")
                .values_list("pk", "name")
            ),
        )

    @property
    def department_ids(self) -> set[int]:
        return {pk for pk, _name in self.departments}

    @property
    def site_ids(self) -> set[int]:
        return {pk for pk, _name in self.sites}

    @property
    def type_ids(self) -> set[int]:
        return {pk for pk, _name in self.types}

    @property
    def channel_ids(self) -> set[int]:
        return {pk for pk, _name in self.channels}


def members(program: Program, selection: Selection) -> QuerySet[Enrolment]:
    """Everyone ever enrolled in the program who belongs to the selected group."""
    enrolments = Enrolment.objects.filter(program=program)
    if selection.department is not None:
        enrolments = enrolments.filter(person__department_id=selection.department)
    if selection.site is not None:
        enrolments = enrolments.filter(person__site_id=selection.site)
    if selection.ambassador_type is not None:
        enrolments = enrolments.filter(ambassador_type_id=selection.ambassador_type)
    return enrolments


def enrolled_during(
    program: Program, selection: Selection, start: date, end: date
) -> QuerySet[Enrolment]:
    """The population of the participation rates: the selected group's members whose
    enrolment was current at some time between ``start`` and ``end`` (UTC days).

    Paused enrolments count (the person is still a member, waiting to accept the new
    charter), and so do those who left during the period; nobody enrolled only after
    ``end`` or gone before ``start``. Active people are always counted among these, so a
    rate can never exceed 100 %.
    """
    return members(program, selection).filter(enrolled_between(start, end))


def enrolled_between(start: date, end: date) -> Q:
    """The condition of ``enrolled_during`` on enrolments, to count several periods at once."""
    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(1), time.min, tzinfo=UTC)
    current = Q(ended_at__isnull=True) & ~Q(status=Enrolment.Status.ENDED)
    return Q(started_at__lt=after) & (current | Q(ended_at__gte=first))


def rows(program: Program, selection: Selection) -> QuerySet[DailyShareStats]:
    """The program's daily rows under the filters (any day: callers add the range)."""
    found = DailyShareStats.objects.filter(organisation_id=program.organisation_id, program=program)
    if selection.network:
        found = found.filter(network=selection.network)
    if selection.channel is not None:
        found = found.filter(item__channels=selection.channel)
    if selection.narrows_people:
        found = found.filter(person_id__in=members(program, selection).values("person_id"))
    return found


def sums(program: Program, selection: Selection) -> QuerySet[Any]:
    """The rows to add up for the selection's totals by day, item or network.

    The sums per item (``DailyItemStats``, no people in them) when no filter narrows the
    people: the same totals from a small fraction of the rows. The daily rows otherwise.
    """
    if selection.narrows_people:
        return rows(program, selection)
    found = DailyItemStats.objects.filter(organisation_id=program.organisation_id, program=program)
    if selection.network:
        found = found.filter(network=selection.network)
    if selection.channel is not None:
        found = found.filter(item__channels=selection.channel)
    return found


def day_sums(program: Program, selection: Selection) -> QuerySet[Any]:
    """The rows to add up for the selection's totals by day or network (not by item).

    The sums per program (``DailyProgramStats``, no items, no people) when no filter
    narrows the people or the channels: one row per day and network. ``sums`` otherwise.
    """
    if selection.narrows_people or selection.channel is not None:
        return sums(program, selection)
    found = DailyProgramStats.objects.filter(
        organisation_id=program.organisation_id, program=program
    )
    if selection.network:
        found = found.filter(network=selection.network)
    return found


def networks_of(program: Program) -> list[str]:
    """The networks the program's figures have ever had: the choices of the network filter."""
    return sorted(
        DailyProgramStats.objects.filter(organisation_id=program.organisation_id, program=program)
        .exclude(network="")
        .values_list("network", flat=True)
        .distinct()
        .order_by()
    )


def withheld(program: Program, selection: Selection, threshold: int) -> int | None:
    """The size of the smallest group the selection would expose, when under the threshold.

    A group is exposed directly (the selection itself is small) or by subtraction: the
    selection with one group filter fewer, minus this one, leaves a small group (whole
    program minus "Sales" reveals the two people outside Sales). Both are withheld.
    """
    if not selection.narrows_people:
        return None
    size = _size(program, selection)
    exposed = [size] if size < threshold else []
    for wider in _one_filter_fewer(selection):
        rest = _size(program, wider) - size
        if 0 < rest < threshold:
            exposed.append(rest)
    return min(exposed) if exposed else None


def _size(program: Program, selection: Selection) -> int:
    return members(program, selection).values("person_id").distinct().count()


def _one_filter_fewer(selection: Selection) -> list[Selection]:
    wider = []
    if selection.department is not None:
        wider.append(replace(selection, department=None))
    if selection.site is not None:
        wider.append(replace(selection, site=None))
    if selection.ambassador_type is not None:
        wider.append(replace(selection, ambassador_type=None))
    return wider
