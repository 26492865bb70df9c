"""Content targeting and audiences (people/audiences.py): a saved segment fills the
targeting boxes, and an item says how many people its targeting reaches now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ambassade.content.models import ContentItem
from ambassade.people import audiences
from ambassade.people.models import Department, EmploymentStatus, SavedSegment, Site
from ambassade.programs.models import AmbassadorType

# What content targeting can express, by audience criterion: the form field it fills.
TARGETABLE = {
    "department": "departments",
    "site": "sites",
    "language": "target_languages",
    "ambassador_type": "ambassador_types",
}


def add_segment(data: dict[str, Any], segment: SavedSegment) -> None:
    """Adds the segment's choices to the ticked targeting (cleaned form data).

    A criterion content cannot target (status, self-assessment) is refused, never dropped:
    the item would otherwise reach more people than the segment says."""
    others = [key for key in segment.criteria if key not in TARGETABLE]
    if others:
        names = ", ".join(
            str(audiences.CRITERIA[key].label) for key in others if key in audiences.CRITERIA
        )
        raise ValidationError(
            {
                "segment": _(
                    "Content is targeted by department, site, language and ambassador type "
                    "only; this segment also uses: %s."
                )
                % names
            }
        )
    organisation_id = segment.organisation_id
    models: dict[str, Any] = {
        "department": Department.objects,
        "site": Site.objects,
        "ambassador_type": AmbassadorType.objects,
    }
    for key, field in TARGETABLE.items():
        values = segment.criteria.get(key, [])
        if not values:
            continue
        if key == "language":
            data[field] = sorted(set(data.get(field) or []) | set(values))
            continue
        found = models[key].filter(organisation_id=organisation_id, pk__in=values)
        data[field] = list({row.pk: row for row in [*(data.get(field) or []), *found]}.values())


def reach(item: ContentItem) -> int:
    """How many people of the organisation (not departed) the targeting reaches now."""
    audience: audiences.Audience = {}
    if item.targets_departments:
        audience["department"] = [
            str(pk) for pk in item.target_departments.values_list("pk", flat=True)
        ]
    if item.targets_sites:
        audience["site"] = [str(pk) for pk in item.target_sites.values_list("pk", flat=True)]
    if item.targets_types and "ambassador_type" in audiences.CRITERIA:
        audience["ambassador_type"] = [
            str(pk) for pk in item.target_ambassador_types.values_list("pk", flat=True)
        ]
    if item.targets_languages:
        audience["language"] = item.language_list
    return (
        audiences.people_in(item.organisation, audience)
        .exclude(employment_status=EmploymentStatus.LEFT)
        .count()
    )
