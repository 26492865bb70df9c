"""The content hub's settings under /api/v1/content/settings (admins, marketing), as on the page."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Schema

from ambassade.content import guideline_actions, selectors
from ambassade.content.api import router
from ambassade.content.models import ContentSettings
from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import InputSchema, Text, omittable

# A DNS name is at most 253 characters; the action checks that it is a public host name.
HostName = Annotated[Text, Field(max_length=253)]


class ContentSettingsOut(Schema):
    promotional_threshold: int
    trusted_after: int
    allowed_hosts: list[str] = Field(
        ..., description="Public hosts that previews and sources may read on other ports"
    )
    alumni_disclosure: str = Field(
        ..., description="Added to alumni posts; {organisation} is the name; empty: default."
    )

    @staticmethod
    def resolve_allowed_hosts(found: ContentSettings) -> list[str]:
        return sorted(found.host_set)


class ContentSettingsPatch(InputSchema):
    promotional_threshold: int = omittable(ge=0, le=100)
    trusted_after: int = omittable(ge=0, le=100)
    allowed_hosts: list[HostName] = omittable(
        max_length=100,
        description=(
            "Public host names only: no IP address in any notation, no local name "
            "(localhost, *.local…). Intranet hosts are the operator's "
            "(OUTBOUND_ALLOWED_HOSTS)."
        ),
    )
    alumni_disclosure: Text = omittable(max_length=120)


@router.get("/content/settings", response={200: ContentSettingsOut, 403: ErrorResponse})
def get_content_settings(request: HttpRequest) -> ContentSettings:
    actor = permit(request, "content.settings")
    return selectors.content_settings(actor.organisation)


@router.patch(
    "/content/settings",
    response={200: ContentSettingsOut, 403: ErrorResponse, 422: ErrorResponse},
)
def update_content_settings(request: HttpRequest, payload: ContentSettingsPatch) -> ContentSettings:
    actor = permit(request, "content.settings")
    found = selectors.content_settings(actor.organisation)
    changes = payload.dict(exclude_unset=True)
    hosts = changes.get("allowed_hosts")
    return guideline_actions.update_settings(
        actor,
        promotional_threshold=changes.get("promotional_threshold", found.promotional_threshold),
        trusted_after=changes.get("trusted_after", found.trusted_after),
        allowed_hosts="\n".join(hosts) if hosts is not None else found.allowed_hosts,
        alumni_disclosure=changes.get("alumni_disclosure"),
    )
