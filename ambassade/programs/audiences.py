"""The programs' criterion of an audience: people who are ambassadors of a type.

people/audiences.py cannot know ambassador types (they live here), so this app adds its
criterion when it is ready.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people import audiences
from ambassade.programs.models import AmbassadorType, Enrolment

CURRENT = (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)


def _type_choices(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (str(kind.pk), kind.label)
        for kind in AmbassadorType.objects.filter(organisation=organisation)
    ]


def _of_type(values: list[str]) -> Q:
    # A current enrolment of one of the types, in any program of the organisation.
    enrolled = Enrolment.objects.filter(
        ambassador_type_id__in=[int(value) for value in values], status__in=CURRENT
    ).values("person_id")
    return Q(pk__in=enrolled)


def register() -> None:
    audiences.register(
        audiences.Criterion("ambassador_type", _("Ambassador types"), _type_choices, _of_type)
    )
