"""Audiences: a group of people chosen by what they are, not typed address by address.

An audience is a mapping ``{criterion key: [chosen values]}``: a person belongs when, for
every criterion with values, they match one of them ("Ventes or Marketing, at Lyon").
The same definition serves invitation campaigns, content targeting, the people list's
filters and saved segments (``SavedSegment``), so a count shown before sending is the
number of people the action will reach.

Criteria about people live here; an app above registers its own (programs registers the
ambassador type) with ``register`` when it is ready, so this module never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ambassade.core.models import Organisation
from ambassade.people.models import Department, EmploymentStatus, Person, Site


@dataclass(frozen=True)
class Criterion:
    key: str
    label: Promise
    # (value, translated name) the organisation offers, values as strings.
    choices: Callable[[Organisation], list[tuple[str, str]]]
    # The condition on Person for the chosen values (already checked against choices).
    condition: Callable[[list[str]], Q]


CRITERIA: dict[str, Criterion] = {}


def register(criterion: Criterion) -> None:
    CRITERIA[criterion.key] = criterion


def _named(queryset: QuerySet) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in queryset.values_list("pk", "name")]


# Self-assessment answers HR asks for: filled in at all, or a high score on one question.
SELF_ASSESSMENT: dict[str, tuple[Promise, Q]] = {
    "filled": (_lazy("Filled in the self-assessment"), Q(self_assessment__isnull=False)),
    "motivated": (
        _lazy("Motivation 4 or 5 out of 5"),
        Q(self_assessment__motivation__gte=4),
    ),
    "comfortable": (
        _lazy("Comfort with social networks 4 or 5 out of 5"),
        Q(self_assessment__social_comfort__gte=4),
    ),
    "learner": (
        _lazy("Willingness to learn 4 or 5 out of 5"),
        Q(self_assessment__willingness_to_learn__gte=4),
    ),
}


def _languages_condition(codes: list[str]) -> Q:
    condition = Q(pk__in=[])
    for code in codes:
        # A JSON list of codes: its text holds the quoted code on SQLite and PostgreSQL.
        condition |= Q(languages__icontains=f'"{code}"')
    return condition


def _self_assessment_condition(values: list[str]) -> Q:
    condition = Q(pk__in=[])
    for value in values:
        condition |= SELF_ASSESSMENT[value][1]
    return condition


register(
    Criterion(
        "department",
        _lazy("Departments"),
        lambda organisation: _named(Department.objects.filter(organisation=organisation)),
        lambda values: Q(department_id__in=[int(value) for value in values]),
    )
)
register(
    Criterion(
        "site",
        _lazy("Sites"),
        lambda organisation: _named(Site.objects.filter(organisation=organisation)),
        lambda values: Q(site_id__in=[int(value) for value in values]),
    )
)
register(
    Criterion(
        "language",
        _lazy("Languages they read"),
        # The languages a person's record may hold (people/forms.py), by translated name.
        lambda organisation: [(code, str(name)) for code, name in settings.LANGUAGES],
        _languages_condition,
    )
)
register(
    Criterion(
        "status",
        _lazy("Employment status"),
        lambda organisation: [(value, str(label)) for value, label in EmploymentStatus.choices],
        lambda values: Q(employment_status__in=values),
    )
)
register(
    Criterion(
        "self_assessment",
        _lazy("Self-assessment"),
        lambda organisation: [(key, str(label)) for key, (label, _q) in SELF_ASSESSMENT.items()],
        _self_assessment_condition,
    )
)

Audience = dict[str, list[str]]


def clean(organisation: Organisation, raw: Mapping[str, Iterable[str]]) -> Audience:
    """The audience with only known criteria and values of this organisation.

    Unknown keys or values are an error (never silently widened to everyone)."""
    audience: Audience = {}
    errors: dict[str, str] = {}
    for key, values in raw.items():
        criterion = CRITERIA.get(key)
        if criterion is None:
            errors[key] = _("Unknown criterion.")
            continue
        chosen = sorted({str(value) for value in values if str(value)})
        if not chosen:
            continue
        offered = {value for value, _label in criterion.choices(organisation)}
        unknown = [value for value in chosen if value not in offered]
        if unknown:
            errors[key] = _("Unknown choice: %s") % ", ".join(unknown)
            continue
        audience[key] = chosen
    if errors:
        raise ValidationError(errors)
    return audience


def condition(audience: Audience) -> Q:
    result = Q()
    for key, values in audience.items():
        if values:
            result &= CRITERIA[key].condition(values)
    return result


def people_in(organisation: Organisation, audience: Audience) -> QuerySet[Person]:
    """The organisation's people in the audience (anonymised people never are)."""
    return (
        Person.objects.filter(organisation=organisation, anonymised_at__isnull=True)
        .filter(condition(audience))
        .distinct()
    )


def count(organisation: Organisation, audience: Audience) -> int:
    return people_in(organisation, audience).count()


def describe(organisation: Organisation, audience: Audience) -> list[str]:
    """One readable line per criterion: "Departments: Ventes, Marketing"."""
    lines = []
    for key, values in audience.items():
        criterion = CRITERIA[key]
        names = dict(criterion.choices(organisation))
        chosen = ", ".join(names.get(value, value) for value in values)
        lines.append(
            _("%(criterion)s: %(values)s") % {"criterion": criterion.label, "values": chosen}
        )
    return lines


__all__ = [
    "CRITERIA",
    "Audience",
    "Criterion",
    "clean",
    "condition",
    "count",
    "describe",
    "people_in",
    "register",
]
