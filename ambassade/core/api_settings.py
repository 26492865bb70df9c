"""The organisation's settings under /api/v1/organisation/settings (admins)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ambassade.core import actions
from ambassade.core.api import ErrorResponse, permit
from ambassade.core.checklist import checklist
from ambassade.core.models import Organisation

router = Router(tags=["organisation"])


class SettingsOut(Schema):
    name: str
    slug: str
    default_language: str
    brand_colour: str
    departure_notice_days: int
    retention_days_after_departure: int


class SettingsPatch(Schema):
    name: str | None = Field(None, max_length=200)
    default_language: str | None = None
    brand_colour: str | None = Field(None, max_length=7)
    departure_notice_days: int | None = Field(None, ge=0, le=365)
    retention_days_after_departure: int | None = Field(None, ge=30, le=3650)


@router.get("/organisation/settings", response={200: SettingsOut, 403: ErrorResponse})
def get_settings(request: HttpRequest) -> Organisation:
    actor = permit(request, "organisation.settings")
    return Organisation.objects.get(pk=actor.organisation.pk)


@router.patch(
    "/organisation/settings",
    response={200: SettingsOut, 403: ErrorResponse, 422: ErrorResponse},
)
def update_settings(request: HttpRequest, payload: SettingsPatch) -> Organisation:
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
