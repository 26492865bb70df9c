"""Sharing closed during a crisis, except for its spokespeople (a share gate, asked by the
composer, every share and every claim through ``programs.selectors.may_share``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ambassade.crisis.models import Crisis
from ambassade.people.models import Person
from ambassade.programs.selectors import ShareDecision

if TYPE_CHECKING:
    from ambassade.programs.models import Program


def crisis_gate(
    person: Person, program: Program | None, network: str | None
) -> ShareDecision | None:
    if program is None:
        return None  # connecting an account stays open: it publishes nothing
    crisis = (
        Crisis.objects.filter(organisation_id=person.organisation_id, ended_at__isnull=True)
        .exclude(exempt=person)
        .only("name", "ends_at")
        .first()
    )
    if crisis is None:
        return None
    until = formats.date_format(timezone.localtime(crisis.ends_at), "SHORT_DATETIME_FORMAT")
    return ShareDecision(
        False,
        _("Sharing is closed during the crisis “%(name)s”, until %(until)s at the latest.")
        % {"name": crisis.name, "until": until},
        link=reverse("crisis:current"),
        link_label=_("What to do during the crisis"),
    )
