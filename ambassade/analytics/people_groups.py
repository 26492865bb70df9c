"""The people dashboard: groups by department, site and type, and who opted in.

Groups smaller than the organisation's threshold are merged (see ``merge_small``); only
people who chose individual visibility in the program are listed by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ambassade.analytics import selection as selected
from ambassade.analytics.breakdowns import (
    CLICKS,
    SUM_NAMES,
    Breakdown,
    as_figures,
    figure_columns,
    figure_keys,
    figure_values,
    raw_rows,
    start_breakdown,
)
from ambassade.analytics.figures import SUMS, derived
from ambassade.analytics.selection import Selection
from ambassade.analytics.tables import TEXT, Column, Table
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program

TOP_PEOPLE = 100
# The members' columns read for the groups, and where each is in a row.
MEMBER_FIELDS = (
    "person_id",
    "person__department_id",
    "person__department__name",
    "person__site_id",
    "person__site__name",
    "ambassador_type_id",
    "individual_visibility",
    "status",
)
PERSON, DEPARTMENT, DEPARTMENT_NAME, SITE, SITE_NAME, TYPE, VISIBLE, STATUS = range(8)
PUBLISHED, DECLARED = SUM_NAMES.index("shares_published"), SUM_NAMES.index("shares_declared")


@dataclass
class Group:
    key: Any
    label: str
    size: int  # people ever enrolled in the group
    figures: dict[str, Any]
    active: int


def merge_small(groups: list[Group], threshold: int, other_label: str) -> list[Group]:
    """Merges groups under the threshold into "other", and more until "other" is safe too.

    When "other" would itself be smaller than the threshold, the next smallest group joins
    it; otherwise subtracting the shown groups from the program total would reveal it.
    """
    shown = sorted(groups, key=lambda g: (g.size, g.label))
    merged: list[Group] = []
    while shown and (shown[0].size < threshold or 0 < sum(g.size for g in merged) < threshold):
        merged.append(shown.pop(0))
    if not merged:
        return sorted(shown, key=lambda g: g.label)
    other = Group(None, other_label, 0, {}, 0)
    for group in merged:
        other.size += group.size
        other.active += group.active
        for name, amount in group.figures.items():
            other.figures[name] = other.figures.get(name, 0) + amount
    return [*sorted(shown, key=lambda g: g.label), other]


def people(program: Program, selection: Selection, today: date, search: str = "") -> Breakdown:
    """The groups, then the people who opted in (``search``: part of a name, among them)."""
    breakdown, rows = start_breakdown(program, selection, today, by_person=True)
    if breakdown.withheld is not None:
        return breakdown
    # One read of the range per person, one of the members; groups are added up here.
    # Raw rows: converting twelve sums of 5,000 people through the ORM cost more than the
    # query (and the sums per person over the range make the query itself cheap). Each
    # person's sums stay a tuple (SUM_NAMES order): groups add them up column by column,
    # and only the groups' totals and the people listed become figures.
    sums = rows.filter(person__isnull=False).values_list("person_id").annotate(**SUMS).order_by()
    per_person: dict[int, tuple[Any, ...]] = {
        person_id: tuple(values) for person_id, *values in raw_rows(sums)
    }
    members = raw_rows(selected.members(program, selection).values_list(*MEMBER_FIELDS).order_by())
    type_labels = {pk: name for pk, name in selected.Options.of(program.organisation_id).types}
    dimensions = (
        ("departments", _("By department"), DEPARTMENT, DEPARTMENT_NAME),
        ("sites", _("By site"), SITE, SITE_NAME),
        ("types", _("By ambassador type"), TYPE, None),
    )
    for key, title, group_field, name_field in dimensions:
        groups: dict[Any, Group] = {}
        sums_of: dict[Any, list[tuple[Any, ...]]] = {}
        for member in members:
            group_key = member[group_field]
            group = groups.get(group_key)
            if group is None:
                label = member[name_field] if name_field else type_labels.get(group_key)
                group = groups[group_key] = Group(group_key, label or _("None"), 0, {}, 0)
            group.size += 1
            person_sums = per_person.get(member[PERSON])
            if person_sums is None:
                continue
            group.active += 1 if person_sums[PUBLISHED] or person_sums[DECLARED] else 0
            sums_of.setdefault(group_key, []).append(person_sums)
        # The displayed figures are sums of the counters: derived once per group, not per
        # member, column by column with the built-in sum (5,000 members, a few groups).
        for group_key, member_sums in sums_of.items():
            totals = [sum(column) for column in zip(*member_sums, strict=True)]
            groups[group_key].figures = derived(as_figures(totals))
        table = Table(
            key=key,
            title=title,
            columns=[
                Column("group", title, TEXT),
                Column("people", _("People enrolled")),
                Column("active", _("Active"), anchor="participation-rate"),
                *figure_columns(),
            ],
            note=_("Groups of fewer than %(count)s people are merged into “Other groups”.")
            % {"count": breakdown.threshold},
        )
        empty = derived(dict.fromkeys(SUMS, 0))
        for group in merge_small(list(groups.values()), breakdown.threshold, _("Other groups")):
            shown = empty | group.figures
            table.rows.append(
                [group.label, group.size, group.active, *(shown[k] for k in figure_keys())]
            )
        breakdown.tables.append(table)
    visible = [
        member[PERSON]
        for member in members
        if member[VISIBLE] and member[STATUS] != Enrolment.Status.ENDED
    ]
    if search:
        # Only among those who opted in: a search never reveals anyone else.
        words = Q()
        for word in search.split()[:4]:
            words &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        found = set(
            Person.objects.filter(
                words, organisation_id=program.organisation_id, anonymised_at__isnull=True
            ).values_list("pk", flat=True)
        )
        visible = [pk for pk in visible if pk in found]
    breakdown.tables.append(individuals(program, selection, visible, per_person, type_labels))
    return breakdown


def individuals(
    program: Program,
    selection: Selection,
    visible: list[int],
    per_person: dict[int, tuple[Any, ...]],
    type_labels: dict[int, str],
) -> Table:
    """People who opted in to individual visibility in this program, most clicks first."""
    empty = (0,) * len(SUM_NAMES)
    ranked = sorted(visible, key=lambda pk: (-per_person.get(pk, empty)[CLICKS], pk))
    shown = ranked[:TOP_PEOPLE]
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in=shown).select_related("department")
    }
    types = dict(
        Enrolment.objects.filter(program=program, person_id__in=shown).values_list(
            "person_id", "ambassador_type_id"
        )
    )
    query = selection.query()
    table = Table(
        key="individuals",
        title=_("People who chose to show their figures"),
        columns=[
            Column("person", _("Person"), TEXT),
            Column("type", _("Ambassador type"), TEXT),
            Column("department", _("Department"), TEXT),
            *figure_columns(),
        ],
        note=_(
            "Only people who turned on “managers may see my individual figures” appear "
            "here, by human clicks (the first %(count)s of %(total)s); they can turn it off "
            "at any time."
        )
        % {"count": min(TOP_PEOPLE, len(ranked)), "total": len(ranked)},
    )
    for pk in shown:
        person = people[pk]
        table.rows.append(
            [
                person.full_name,
                type_labels.get(types.get(pk, 0), ""),
                person.department.name if person.department else "",
                *figure_values(as_figures(per_person.get(pk, empty))),
            ]
        )
        table.links.append(reverse("analytics:person", args=[program.pk, pk]) + "?" + query)
    return table
