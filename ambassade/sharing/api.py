"""Sharing under /api/v1/: my accounts, my shares, the pause switch, the rules.

Secrets never appear in any schema: an account says which network, which handle, and
whether it is healthy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core.api import ApiError, PagePagination, permit
from ambassade.core.api_types import (
    Code,
    Id,
    InputSchema,
    LocalMoment,
    Name,
    Text,
    TimeOfDay,
    omittable,
)
from ambassade.sharing import actions, scheduling, selectors
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, SocialAccount
from ambassade.tracking.actions import short_url

router = Router(tags=["sharing"])


class AccountOut(Schema):
    id: int
    network: str
    handle: str
    status: str
    healthy: bool
    audience: int | None
    audience_measured_at: datetime | None
    last_error: str
    connected_at: datetime


class BlueskyConnectIn(InputSchema):
    handle: Name = Field(..., max_length=253)
    app_password: Name = Field(..., max_length=100)
    pds_url: Name = Field("https://bsky.social", max_length=300)


class ShareTargetIn(InputSchema):
    account_id: Id | None = None
    network: Code = Field("", max_length=32, description="A share-link network (no account)")


class ShareIn(InputSchema):
    item_id: Id
    message: Name = Field(..., max_length=3000)
    targets: list[ShareTargetIn] = Field(..., max_length=20)
    when: Code = Field("now", max_length=16, description="now, schedule or queue")
    at: LocalMoment | None = Field(
        None, description="For schedule; without an offset: your zone. Years 1900 to 2199."
    )
    accept_similar: bool = Field(False, description="Post a near copy anyway (nudge mode)")


class ShareTargetOut(Schema):
    id: int
    share_id: int
    item_id: int
    item_title: str
    message: str
    network: str
    account_id: int | None
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    deleted_at: datetime | None
    remote_url: str
    failure_kind: str
    failure_reason: str
    tracked_link: str | None
    likes: int | None
    reposts: int | None
    replies: int | None

    @staticmethod
    def resolve_item_id(target: ShareTarget) -> int:
        return target.share.item_id

    @staticmethod
    def resolve_item_title(target: ShareTarget) -> str:
        return target.share.item.title

    @staticmethod
    def resolve_message(target: ShareTarget) -> str:
        return target.share.message

    @staticmethod
    def resolve_tracked_link(target: ShareTarget) -> str | None:
        return short_url(target.tracked_link) if target.tracked_link else None


class ShareOut(Schema):
    id: int
    similarity: int | None
    targets: list[ShareTargetOut]


class PauseIn(InputSchema):
    paused: bool
    reason: Text = Field("", max_length=300)


class PauseOut(Schema):
    paused: bool
    reason: str
    changed_at: datetime
    changed_by: str = Field(..., alias="changed_by_label")


class SharingSettingsOut(Schema):
    similarity_threshold: int
    similarity_mode: str
    stagger_minutes: int
    daily_cap: int
    quiet_start: TimeOfDay | None
    quiet_end: TimeOfDay | None


class SharingSettingsIn(InputSchema):
    similarity_threshold: int = omittable(ge=50, le=100)
    similarity_mode: Literal["nudge", "block"] = omittable()
    stagger_minutes: int = omittable(ge=0, le=1440)
    daily_cap: int = omittable(ge=1, le=100)
    quiet_start: TimeOfDay | None = None
    quiet_end: TimeOfDay | None = None


def _person(request: HttpRequest, permission: str) -> Any:
    actor = permit(request, permission)
    if actor.person is None:
        raise ApiError(403, "forbidden", "Only a person's token has accounts and shares.")
    return actor, actor.person


@router.get("/sharing/accounts", response=list[AccountOut])
def list_accounts(request: HttpRequest) -> QuerySet[SocialAccount]:
    _actor, person = _person(request, "sharing.view_own")
    return selectors.accounts_of(person).defer("secrets").order_by("network", "handle")


@router.post("/sharing/accounts/bluesky", response={201: AccountOut})
def connect_bluesky(request: HttpRequest, data: BlueskyConnectIn) -> Status:
    actor, _unused = _person(request, "sharing.accounts")
    account = actions.connect_with_password(actor, "bluesky", data.dict())
    return Status(201, account)


@router.delete("/sharing/accounts/{account_id}", response={204: None})
def disconnect_account(request: HttpRequest, account_id: Id) -> Status:
    actor, person = _person(request, "sharing.accounts")
    actions.disconnect(actor, selectors.account_of(person, account_id))
    return Status(204, None)


@router.post("/sharing/shares", response={201: ShareOut})
def create_share(request: HttpRequest, data: ShareIn) -> Status:
    actor, person = _person(request, "sharing.share")
    audience = content_selectors.audience_of(person)
    item = (
        content_selectors.feed(audience).filter(pk=data.item_id).select_related("program").first()
    )
    if item is None or not isinstance(item, ContentItem):
        raise ApiError(404, "not_found", "Not found.")
    at = data.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=scheduling.zone_of(person))
    try:
        share = actions.create_share(
            actor,
            item,
            data.message,
            [TargetRequest(account_id=t.account_id, network=t.network) for t in data.targets],
            when=data.when,
            at=at,
            accept_similar=data.accept_similar,
        )
    except actions.TooSimilar as error:
        raise ApiError(
            422,
            "too_similar",
            error.messages[0],
            {"similarity": error.score, "blocking": error.blocking},
        ) from None
    targets = list(selectors.targets_of(person).filter(share=share))
    return Status(201, {"id": share.pk, "similarity": share.similarity, "targets": targets})


@router.get("/sharing/posts", response=list[ShareTargetOut])
@paginate(PagePagination)
def list_posts(request: HttpRequest, status: str | None = None) -> QuerySet[ShareTarget]:
    _actor, person = _person(request, "sharing.view_own")
    targets = selectors.targets_of(person)
    return targets.filter(status=status) if status else targets


@router.post("/sharing/posts/{target_id}/cancel", response=ShareTargetOut)
def cancel_post(request: HttpRequest, target_id: Id) -> ShareTarget:
    actor, person = _person(request, "sharing.share")
    actions.cancel_target(actor, selectors.target_of(person, target_id))
    return selectors.target_of(person, target_id)


class TargetVerificationIn(InputSchema):
    online: bool = Field(description="true: the post is on the profile; false: publish it")


@router.post("/sharing/posts/{target_id}/verify", response=ShareTargetOut)
def verify_post(request: HttpRequest, target_id: Id, body: TargetVerificationIn) -> ShareTarget:
    """Settles a post "to verify": it is online, or it is not and may be published."""
    actor, person = _person(request, "sharing.share")
    actions.verify_target(actor, selectors.target_of(person, target_id), online=body.online)
    return selectors.target_of(person, target_id)


class PostDeletionIn(InputSchema):
    withdraw_link: bool = Field(True, description="Also stop the post's tracked link")


class PostDeletionOut(Schema):
    already_gone: bool = Field(description="The network no longer had the post")
    link_withdrawn: bool
    post: ShareTargetOut


@router.post("/sharing/posts/{target_id}/withdraw", response=PostDeletionOut)
def withdraw_post(request: HttpRequest, target_id: Id, body: PostDeletionIn) -> Any:
    """Deletes one of my published posts from its network (already gone: not an error).

    A refusal of the network is a 422 whose code is the failure kind
    (``needs_reconnection``, ``rate_limited``, ``rejected``, ``transient``)."""
    actor, person = _person(request, "sharing.share")
    target = selectors.target_of(person, target_id)
    try:
        done = actions.delete_from_network(actor, target, withdraw_tracked_link=body.withdraw_link)
    except actions.DeletionFailed as error:
        raise ApiError(422, error.kind, error.messages[0], {"kind": error.kind}) from None
    return {
        "already_gone": done.already_gone,
        "link_withdrawn": done.link_withdrawn,
        "post": selectors.target_of(person, target_id),
    }


class RescheduleIn(InputSchema):
    when: Literal["schedule", "now", "queue"] = "schedule"
    at: LocalMoment | None = Field(
        None, description="For schedule; without an offset: your zone. Years 1900 to 2199."
    )


@router.post("/sharing/posts/{target_id}/reschedule", response=ShareTargetOut)
def reschedule_post(request: HttpRequest, target_id: Id, body: RescheduleIn) -> ShareTarget:
    """Plans a post that was returned to you (status ``returned``) again."""
    actor, person = _person(request, "sharing.share")
    at = body.at
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=scheduling.zone_of(person))
    actions.reschedule_target(actor, selectors.target_of(person, target_id), when=body.when, at=at)
    return selectors.target_of(person, target_id)


@router.get("/sharing/pause", response=PauseOut)
def get_pause(request: HttpRequest) -> Any:
    actor = permit(request, "sharing.pause")
    return selectors.pause_of(actor.organisation)


@router.put("/sharing/pause", response=PauseOut)
def put_pause(request: HttpRequest, data: PauseIn) -> Any:
    actor = permit(request, "sharing.pause")
    return actions.set_pause(actor, data.paused, data.reason)


@router.get("/sharing/settings", response=SharingSettingsOut)
def get_settings(request: HttpRequest) -> Any:
    actor = permit(request, "sharing.settings")
    return selectors.settings_of(actor.organisation)


@router.patch("/sharing/settings", response=SharingSettingsOut)
def patch_settings(request: HttpRequest, data: SharingSettingsIn) -> Any:
    actor = permit(request, "sharing.settings")
    values = {key: value for key, value in data.dict().items() if value is not None}
    return actions.update_settings(actor, values)
