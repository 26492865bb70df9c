"""The content hub under /api/v1/: items, review, curation, suggestions, guidelines, feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.content import (
    actions,
    curation_actions,
    guideline_actions,
    limits,
    selectors,
    suggestion_actions,
)
from ambassade.content.models import (
    Category,
    Channel,
    ContentItem,
    CurationEntry,
    Disclosure,
    GlossaryTerm,
    ReviewComment,
    Source,
    SuggestedMessage,
    Suggestion,
)
from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit, typed
from ambassade.core.api_types import Code, Id, InputSchema, Moment, Name, Text, omittable

router = Router(tags=["content"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


# --- Schemas ----------------------------------------------------------------------------


class ChannelOut(Schema):
    id: int
    name: str
    description: str


class ChannelIn(InputSchema):
    name: Name = Field(..., max_length=80)
    description: Text = Field("", max_length=300)


class CategoryOut(Schema):
    id: int
    name: str
    promotional: bool


class CategoryIn(InputSchema):
    name: Name = Field(..., max_length=80)
    promotional: bool = False


class MessageOut(Schema):
    id: int
    language: str
    network: str
    text: str
    hashtags: str
    mentions: str
    full_text: str


class MessageIn(InputSchema):
    language: Code = Field("fr", max_length=2)
    network: Code = Field("any", max_length=32)
    text: Name = Field(..., max_length=3000)
    hashtags: Text = Field("", max_length=300)
    mentions: Text = Field("", max_length=300)


class ItemOut(Schema):
    id: int
    kind: str
    status: str
    program_id: int
    title: str
    description: str
    body: str
    url: str
    site_name: str
    image_url: str
    preview_status: str
    preview_error: str
    job_site: str
    contract_type: str
    apply_url: str
    event_start: datetime | None
    event_place: str
    registration_url: str
    language: str
    group: str
    channel_ids: list[int]
    category_id: int | None
    target_department_ids: list[int]
    target_site_ids: list[int]
    target_languages: list[str]
    target_ambassador_type_ids: list[int]
    publish_from: datetime | None
    publish_until: datetime | None
    featured: bool
    for_alumni: bool = Field(..., description="Shown to alumni ambassadors too.")
    credited_id: int | None
    shareable: bool = Field(..., description="False for internal news: never shared outside.")
    published_at: datetime | None
    created_at: datetime
    pending_change: dict[str, Any] | None = Field(
        None,
        description=(
            "A change to this published item waiting for review (the fields as sent); the "
            "item's own fields are the approved version, live until the change is approved."
        ),
    )

    @staticmethod
    def resolve_group(item: ContentItem) -> str:
        return str(item.group)

    @staticmethod
    def resolve_channel_ids(item: ContentItem) -> list[int]:
        return [channel.pk for channel in item.channels.all()]

    @staticmethod
    def resolve_target_department_ids(item: ContentItem) -> list[int]:
        return [department.pk for department in item.target_departments.all()]

    @staticmethod
    def resolve_target_site_ids(item: ContentItem) -> list[int]:
        return [site.pk for site in item.target_sites.all()]

    @staticmethod
    def resolve_target_ambassador_type_ids(item: ContentItem) -> list[int]:
        return [kind.pk for kind in item.target_ambassador_types.all()]

    @staticmethod
    def resolve_target_languages(item: ContentItem) -> list[str]:
        return item.language_list


class ItemIn(InputSchema):
    program_id: Id
    kind: Code = Field("article", max_length=16)
    title: Text = Field("", max_length=300)
    description: Text = Field("", max_length=2000)
    body: Text = Field("", max_length=50000)
    url: Text = Field("", max_length=2048)
    job_site: Text = Field("", max_length=120)
    contract_type: Text = Field("", max_length=60)
    apply_url: Text = Field("", max_length=2048)
    event_start: Moment | None = None
    event_place: Text = Field("", max_length=200)
    registration_url: Text = Field("", max_length=2048)
    language: Code = Field("fr", max_length=2)
    channel_ids: list[Id] = Field([], max_length=100)
    category_id: Id | None = None
    department_ids: list[Id] = Field([], max_length=100)
    site_ids: list[Id] = Field([], max_length=100)
    type_ids: list[Id] = Field([], max_length=100)
    target_languages: list[Code] = Field([], max_length=10)
    publish_from: Moment | None = None
    publish_until: Moment | None = None
    featured: bool = False
    for_alumni: bool = False
    credited_id: Id | None = None


class ItemPatch(InputSchema):
    program_id: Id = omittable()
    kind: Code = omittable(max_length=16)
    title: Text = omittable(max_length=300)
    description: Text = omittable(max_length=2000)
    body: Text = omittable(max_length=50000)
    url: Text = omittable(max_length=2048)
    job_site: Text = omittable(max_length=120)
    contract_type: Text = omittable(max_length=60)
    apply_url: Text = omittable(max_length=2048)
    event_start: Moment | None = None
    event_place: Text = omittable(max_length=200)
    registration_url: Text = omittable(max_length=2048)
    language: Code = omittable(max_length=2)
    channel_ids: list[Id] = omittable(max_length=100)
    category_id: Id | None = None
    department_ids: list[Id] = omittable(max_length=100)
    site_ids: list[Id] = omittable(max_length=100)
    type_ids: list[Id] = omittable(max_length=100)
    target_languages: list[Code] = omittable(max_length=10)
    publish_from: Moment | None = None
    publish_until: Moment | None = None
    featured: bool = omittable()
    for_alumni: bool = omittable()
    credited_id: Id | None = None


class CommentOut(Schema):
    id: int
    author: str
    text: str
    transition: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment: ReviewComment) -> str:
        return comment.author_label


class CommentIn(InputSchema):
    text: Name = Field(..., max_length=3000)


class TransitionIn(InputSchema):
    comment: Text = Field("", max_length=3000)


class SourceOut(Schema):
    id: int
    url: str
    title: str
    channel_id: int | None
    program_id: int
    trusted: bool
    active: bool
    failures: int
    failing: bool
    last_error: str
    next_poll_at: datetime

    @staticmethod
    def resolve_failing(source: Source) -> bool:
        return source.is_failing


class SourceIn(InputSchema):
    url: Name = Field(..., max_length=2048)
    title: Text = Field("", max_length=200)
    channel_id: Id | None = None
    program_id: Id
    trusted: bool = False


class EntryOut(Schema):
    id: int
    source_id: int
    url: str
    title: str
    summary: str
    published: datetime | None
    state: str
    item_id: int | None


class EntryAcceptIn(InputSchema):
    title: Text = Field("", max_length=300)
    description: Text = Field("", max_length=2000)


class SuggestionOut(Schema):
    id: int
    author_id: int
    url: str
    text: str
    note: str
    state: str
    response: str
    item_id: int | None
    created_at: datetime


class SuggestionIn(InputSchema):
    url: Text = Field("", max_length=2048)
    text: Text = Field("", max_length=3000)
    note: Text = Field("", max_length=500)


class ModerationIn(InputSchema):
    accept: bool
    response: Text = Field("", max_length=500)
    program_id: Id | None = None


class TermOut(Schema):
    id: int
    kind: str
    text: str
    suggestion: str
    reason: str


class TermIn(InputSchema):
    kind: Code = Field(..., max_length=16)
    text: Name = Field(..., max_length=120)
    suggestion: Text = Field("", max_length=200)
    reason: Text = Field("", max_length=300)


class DisclosureOut(Schema):
    network: str
    text: str


class DisclosureIn(InputSchema):
    text: Text = Field(..., max_length=120)


class CheckIn(InputSchema):
    text: Text = Field(..., max_length=10000)
    network: Code = Field("any", max_length=32)


class FindingOut(Schema):
    kind: str
    term: str
    matched: str
    start: int
    end: int
    reason: str
    suggestion: str
    blocking: bool


class CountOut(Schema):
    network: str
    used: int
    limit: int
    over: bool


class CheckOut(Schema):
    blocked: bool
    findings: list[FindingOut]
    text: str = Field(..., description="The text with the required disclosure added.")
    disclosure_added: str
    counts: list[CountOut]


class FeedItemOut(ItemOut):
    reason: str
    already_shared: bool
    may_share: bool


# --- Items ------------------------------------------------------------------------------


def _items(request: HttpRequest, permission: str = "content.view") -> QuerySet[ContentItem]:
    actor = permit(request, permission)
    return ContentItem.objects.filter(organisation=actor.organisation).prefetch_related(
        "channels", "target_departments", "target_sites", "target_ambassador_types"
    )


def _item(request: HttpRequest, item_id: Id, permission: str = "content.view") -> ContentItem:
    return get_object_or_404(_items(request, permission), pk=item_id)


@router.get("/content/items", response=list[ItemOut])
@paginate(PagePagination)
def list_items(request: HttpRequest, status: str | None = None) -> QuerySet[ContentItem]:
    items = _items(request)
    return items.filter(status=status) if status else items


@router.post("/content/items", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, payload: ItemIn) -> Status:
    actor = permit(request, "content.edit")
    return Status(201, actions.create_item(actor, **payload.dict()))


@router.get("/content/items/{item_id}", response={200: ItemOut, **ERRORS})
def get_item(request: HttpRequest, item_id: Id) -> ContentItem:
    return _item(request, item_id)


@router.patch("/content/items/{item_id}", response={200: ItemOut, **ERRORS})
def update_item(request: HttpRequest, item_id: Id, payload: ItemPatch) -> ContentItem:
    actor = permit(request, "content.edit")
    item = _item(request, item_id, "content.edit")
    return actions.update_item(actor, item, **payload.dict(exclude_unset=True))


@router.delete("/content/items/{item_id}", response={204: None, **ERRORS})
def delete_item(request: HttpRequest, item_id: Id) -> Status:
    actor = permit(request, "content.edit")
    actions.delete_item(actor, _item(request, item_id, "content.edit"))
    return Status(204, None)


@router.post("/content/items/{item_id}/preview", response={200: ItemOut, **ERRORS})
def fetch_preview(request: HttpRequest, item_id: Id) -> ContentItem:
    """Reads the page now (the background task does it on save as well)."""
    actor = permit(request, "content.edit")
    return actions.fetch_preview_now(actor, _item(request, item_id, "content.edit"))


TRANSITIONS = {"submit", "approve", "send_back", "publish", "archive", "reopen"}


@router.post("/content/items/{item_id}/transitions/{action}", response={200: ItemOut, **ERRORS})
def transition(
    request: HttpRequest, item_id: Id, action: str, payload: TransitionIn | None = None
) -> ContentItem:
    """``submit``, ``approve``, ``send_back`` (needs a comment), ``publish``, ``archive``,
    ``reopen``."""
    permission = "content.review" if action in {"approve", "send_back"} else "content.edit"
    actor = permit(request, permission)
    if action not in TRANSITIONS:
        raise ApiError(404, "not_found", "Unknown transition.", {"allowed": sorted(TRANSITIONS)})
    item = _item(request, item_id, permission)
    comment = payload.comment if payload else ""
    if action == "approve":
        return actions.approve(actor, item, comment)
    if action == "send_back":
        return actions.send_back(actor, item, comment)
    return getattr(actions, action)(actor, item)


@router.get("/content/items/{item_id}/messages", response={200: list[MessageOut], **ERRORS})
def list_messages(request: HttpRequest, item_id: Id) -> QuerySet[SuggestedMessage]:
    return _item(request, item_id).messages.select_related("item")


@router.post("/content/items/{item_id}/messages", response={201: MessageOut, **ERRORS})
def add_message(request: HttpRequest, item_id: Id, payload: MessageIn) -> Status:
    actor = permit(request, "content.edit")
    message, _result = actions.add_message(
        actor, _item(request, item_id, "content.edit"), **payload.dict()
    )
    return Status(201, message)


@router.delete("/content/items/{item_id}/messages/{message_id}", response={204: None, **ERRORS})
def delete_message(request: HttpRequest, item_id: Id, message_id: Id) -> Status:
    actor = permit(request, "content.edit")
    item = _item(request, item_id, "content.edit")
    actions.delete_message(actor, get_object_or_404(SuggestedMessage, item=item, pk=message_id))
    return Status(204, None)


@router.get("/content/items/{item_id}/comments", response={200: list[CommentOut], **ERRORS})
def list_comments(request: HttpRequest, item_id: Id) -> QuerySet[ReviewComment]:
    return _item(request, item_id).comments.all()


@router.post("/content/items/{item_id}/comments", response={201: CommentOut, **ERRORS})
def add_comment(request: HttpRequest, item_id: Id, payload: CommentIn) -> Status:
    actor = permit(request, "content.review")
    item = get_object_or_404(ContentItem, organisation=actor.organisation, pk=item_id)
    return Status(201, actions.add_comment(actor, item, payload.text))


# --- Channels and categories ------------------------------------------------------------


@router.get("/content/channels", response=list[ChannelOut])
def list_channels(request: HttpRequest) -> QuerySet[Channel]:
    actor = permit(request, "feed.view")
    return selectors.channels_of(actor.organisation)


@router.post("/content/channels", response={201: ChannelOut, **ERRORS})
def add_channel(request: HttpRequest, payload: ChannelIn) -> Status:
    actor = permit(request, "content.edit")
    return Status(201, guideline_actions.add_channel(actor, **payload.dict()))


@router.get("/content/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> QuerySet[Category]:
    actor = permit(request, "content.view")
    return selectors.categories_of(actor.organisation)


@router.post("/content/categories", response={201: CategoryOut, **ERRORS})
def add_category(request: HttpRequest, payload: CategoryIn) -> Status:
    actor = permit(request, "content.edit")
    return Status(201, guideline_actions.add_category(actor, **payload.dict()))


# --- Sources and the curation inbox -----------------------------------------------------


@router.get("/content/sources", response=list[SourceOut])
def list_sources(request: HttpRequest) -> QuerySet[Source]:
    actor = permit(request, "content.edit")
    return Source.objects.filter(organisation=actor.organisation)


@router.post("/content/sources", response={201: SourceOut, **ERRORS})
def add_source(request: HttpRequest, payload: SourceIn) -> Status:
    actor = permit(request, "content.edit")
    return Status(201, curation_actions.add_source(actor, **payload.dict()))


@router.delete("/content/sources/{source_id}", response={204: None, **ERRORS})
def delete_source(request: HttpRequest, source_id: Id) -> Status:
    actor = permit(request, "content.edit")
    source = get_object_or_404(Source, organisation=actor.organisation, pk=source_id)
    curation_actions.delete_source(actor, source)
    return Status(204, None)


@router.get("/content/inbox", response=list[EntryOut])
@paginate(PagePagination)
def list_inbox(request: HttpRequest) -> QuerySet[CurationEntry]:
    actor = permit(request, "content.edit")
    return CurationEntry.objects.filter(
        organisation=actor.organisation, state=CurationEntry.State.NEW
    )


def _entry(request: HttpRequest, entry_id: Id) -> tuple[Any, CurationEntry]:
    actor = permit(request, "content.edit")
    entry = get_object_or_404(
        CurationEntry.objects.select_related("source"), organisation=actor.organisation, pk=entry_id
    )
    return actor, entry


@router.post("/content/inbox/{entry_id}/accept", response={201: ItemOut, **ERRORS})
def accept_entry(
    request: HttpRequest, entry_id: Id, payload: EntryAcceptIn | None = None
) -> Status:
    actor, entry = _entry(request, entry_id)
    values = payload.dict() if payload else {}
    return Status(201, curation_actions.accept_entry(actor, entry, **values))


@router.post("/content/inbox/{entry_id}/discard", response={200: EntryOut, **ERRORS})
def discard_entry(request: HttpRequest, entry_id: Id) -> CurationEntry:
    actor, entry = _entry(request, entry_id)
    return curation_actions.discard_entry(actor, entry)


# --- Suggestions ------------------------------------------------------------------------


@router.get("/content/suggestions", response=list[SuggestionOut])
@paginate(PagePagination)
def list_suggestions(request: HttpRequest, state: str | None = None) -> QuerySet[Suggestion]:
    actor = permit(request, "suggestions.moderate")
    found = Suggestion.objects.filter(organisation=actor.organisation)
    return found.filter(state=state) if state else found


@router.post("/content/suggestions", response={201: SuggestionOut, **ERRORS})
def submit_suggestion(request: HttpRequest, payload: SuggestionIn) -> Status:
    actor = permit(request, "suggestions.submit")
    return Status(201, suggestion_actions.submit_suggestion(actor, **payload.dict()))


@router.post(
    "/content/suggestions/{suggestion_id}/moderate", response={200: SuggestionOut, **ERRORS}
)
def moderate_suggestion(
    request: HttpRequest, suggestion_id: Id, payload: ModerationIn
) -> Suggestion:
    actor = permit(request, "suggestions.moderate")
    suggestion = get_object_or_404(Suggestion, organisation=actor.organisation, pk=suggestion_id)
    return suggestion_actions.moderate(actor, suggestion, **payload.dict())


# --- Guidelines -------------------------------------------------------------------------


@router.get("/guidelines/terms", response=list[TermOut])
def list_terms(request: HttpRequest) -> QuerySet[GlossaryTerm]:
    actor = permit(request, "guidelines.manage")
    return GlossaryTerm.objects.filter(organisation=actor.organisation)


@router.post("/guidelines/terms", response={201: TermOut, **ERRORS})
def add_term(request: HttpRequest, payload: TermIn) -> Status:
    actor = permit(request, "guidelines.manage")
    return Status(201, guideline_actions.add_term(actor, **payload.dict()))


@router.delete("/guidelines/terms/{term_id}", response={204: None, **ERRORS})
def delete_term(request: HttpRequest, term_id: Id) -> Status:
    actor = permit(request, "guidelines.manage")
    term = get_object_or_404(GlossaryTerm, organisation=actor.organisation, pk=term_id)
    guideline_actions.delete_term(actor, term)
    return Status(204, None)


@router.get("/guidelines/disclosures", response=list[DisclosureOut])
def list_disclosures(request: HttpRequest) -> QuerySet[Disclosure]:
    actor = permit(request, "guidelines.check")
    return Disclosure.objects.filter(organisation=actor.organisation)


@router.put("/guidelines/disclosures/{network}", response={200: DisclosureOut, 204: None, **ERRORS})
def set_disclosure(request: HttpRequest, network: str, payload: DisclosureIn) -> Any:
    actor = permit(request, "guidelines.manage")
    found = guideline_actions.set_disclosure(actor, network=network, text=payload.text)
    return found if found is not None else Status(204, None)


@router.post("/guidelines/check", response={200: CheckOut, **ERRORS})
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Checks a message as the composer types it: findings, whether it is blocked, and
    the text with the network's required disclosure added."""
    actor = permit(request, "guidelines.check")
    result = selectors.check_message(actor.organisation, payload.text, payload.network)
    return {
        "blocked": result.blocked,
        "findings": [
            {
                "kind": str(finding.kind),
                "term": finding.term,
                "matched": finding.matched,
                "start": finding.start,
                "end": finding.end,
                "reason": finding.reason,
                "suggestion": finding.suggestion,
                "blocking": finding.blocking,
            }
            for finding in result.findings
        ],
        "text": result.text,
        "disclosure_added": result.disclosure_added,
        "counts": [
            {"network": c.network, "used": c.used, "limit": c.limit, "over": c.over}
            for c in limits.counts(result.text, payload.network)
        ],
    }


# --- The person's feed ------------------------------------------------------------------


@router.get("/feed", response={200: list[FeedItemOut], **ERRORS})
@paginate(PagePagination)
@typed
def my_feed(request: HttpRequest, channel: Id | None = None, q: str = "") -> Any:
    actor = permit(request, "feed.view")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    audience = selectors.audience_of(actor.person)
    shared = selectors.shared_item_ids(actor.person)
    items = selectors.feed(audience, channel_id=channel, query=q[:100]).prefetch_related(
        "target_ambassador_types"
    )

    def annotate(item: ContentItem) -> ContentItem:
        item.reason = selectors.reason(item, audience)  # type: ignore[attr-defined]
        item.already_shared = item.pk in shared  # type: ignore[attr-defined]
        item.may_share = (  # type: ignore[attr-defined]
            item.shareable and item.program_id in audience.enrolled_program_ids
        )
        return item

    return _LazyAnnotated(items, annotate)


class _LazyAnnotated:
    """A queryset-like wrapper: the paginator slices it, each item gets its feed fields."""

    def __init__(self, queryset: QuerySet[ContentItem], annotate: Any) -> None:
        self.queryset = queryset
        self.annotate = annotate

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice) -> list[ContentItem]:
        return [self.annotate(item) for item in self.queryset[index]]


# The settings operations live in their own module; importing it registers them here.
from ambassade.content import api_settings  # noqa: E402, F401
