"""The organisation's settings under /api/v1/organisation/settings (admins)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ambassade.core import actions
from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Code, InputSchema, Name, omittable
from ambassade.core.checklist import checklist
from ambassade.core.models import Organisation

router = Router(tags=["organisation"])


class OrganisationSettingsOut(Schema):
    name: str
    slug: str
    default_language: str
    brand_colour: str
    departure_notice_days: int
    retention_days_after_departure: int
    time_zone: str
    languages: list[str]


class OrganisationSettingsPatch(InputSchema):
    name: Name = omittable(max_length=200)
    default_language: Code = omittable(max_length=8)
    brand_colour: Code = omittable(max_length=7)
    departure_notice_days: int = omittable(ge=0, le=365)
    retention_days_after_departure: int = omittable(ge=30, le=3650)
    time_zone: Code = omittable(max_length=64)
    languages: list[Code] = omittable(max_length=8)


@router.get("/organisation/settings", response={200: OrganisationSettingsOut, 403: ErrorResponse})
def get_settings(request: HttpRequest) -> Organisation:
    actor = permit(request, "organisation.settings")
    return Organisation.objects.get(pk=actor.organisation.pk)


@router.patch(
    "/organisation/settings",
    response={200: OrganisationSettingsOut, 403: ErrorResponse, 422: ErrorResponse},
)
def update_settings(request: HttpRequest, payload: OrganisationSettingsPatch) -> Organisation:
    actor = permit(request, "organisation.settings")
    return actions.update_organisation_settings(actor, payload.dict(exclude_unset=True))


class ChecklistStepOut(Schema):
    code: str
    label: str
    url: str
    done: bool


class ChecklistOut(Schema):
    done: bool
    steps: list[ChecklistStepOut]


@router.get("/organisation/checklist", response={200: ChecklistOut, 403: ErrorResponse})
def get_checklist(request: HttpRequest) -> dict[str, object]:
    """The getting-started steps, computed from the organisation's data at each call."""
    actor = permit(request, "console.view")
    steps = checklist(actor.organisation)
    return {"done": all(step.done for step in steps), "steps": steps}
