"""Every change to content items and their review: one transaction, one audit row.

Sources, curation, suggestions and guidelines have their own modules
(``curation_actions``, ``suggestion_actions``, ``guideline_actions``); this one holds
the items, their messages, comments and the workflow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import guidelines, images, limits, preview, selectors
from ambassade.content.models import (
    LANGUAGES,
    RETENTION_REGULATED,
    Category,
    Channel,
    ContentItem,
    ContentVersion,
    HiddenItem,
    Kind,
    Network,
    PreviewStatus,
    ProgramContentPolicy,
    ReviewComment,
    Status,
    SuggestedMessage,
)
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.roles import Role
from ambassade.people.models import Department, Person, Site
from ambassade.programs.models import AmbassadorType, Program

LANGUAGE_CODES = {code for code, _ in LANGUAGES}
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
RICH_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED}


def require(actor: Actor | None, permission: str, organisation_id: int | None = None) -> Actor:
    if actor is None or not allowed(actor, permission):
        raise PermissionDenied
    if organisation_id is not None and organisation_id != actor.organisation.pk:
        raise PermissionDenied
    return actor


def on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


# --- Input cleaning ---------------------------------------------------------------------


def plain(value: str | None, field: str, *, limit: int, required: bool = False) -> str:
    """Plain text: trimmed, HTML refused with a clear message, length checked."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if TAG.search(text):
        raise ValidationError({field: _("Write plain text here: HTML tags are not accepted.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)s characters (now %(count)s).")
                % {"limit": f"{limit:,}", "count": f"{len(text):,}"}
            }
        )
    return text


def strip_html(value: str, limit: int) -> str:
    """Text from elsewhere (a feed's summary): tags removed, never refused."""
    return " ".join(nh3.clean(value or "", tags=set()).split())[:limit]


def rich(value: str | None) -> str:
    """Rich text sanitised by nh3: a few formatting tags, links without scripts."""
    return nh3.clean(
        value or "",
        tags=RICH_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def web_address(value: str | None, field: str, *, required: bool = False) -> str:
    url = (value or "").strip()
    if not url:
        if required:
            raise ValidationError({field: _("Give the address of the page (https://…).")})
        return ""
    if len(url) > 2048:
        raise ValidationError({field: _("The address is longer than 2,048 characters.")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {field: _("This is not a valid web address: it must start with https:// or http://.")}
        ) from None
    return url


def _language(value: str, field: str = "language") -> str:
    if value not in LANGUAGE_CODES:
        raise ValidationError({field: _("Choose French or English.")})
    return value


def _owned(model: Any, ids: Iterable[int], organisation_id: int, field: str) -> list[Any]:
    wanted = sorted({int(pk) for pk in ids})
    found = list(model.objects.filter(organisation_id=organisation_id, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: _("Some of the choices do not exist.")})
    return found


# --- Who reviews ------------------------------------------------------------------------


def policy_of(program: Program) -> ProgramContentPolicy:
    policy, _created = ProgramContentPolicy.objects.get_or_create(
        program=program, defaults={"reviewer_roles": [Role.MARKETING.value]}
    )
    return policy


def may_review(actor: Actor, program: Program) -> bool:
    if not allowed(actor, "content.review") or program.organisation_id != actor.organisation.pk:
        return False
    policy = policy_of(program)
    if actor.roles & set(policy.reviewer_roles):
        return True
    return (
        actor.person is not None and policy.compliance_reviewers.filter(pk=actor.person.pk).exists()
    )


@transaction.atomic
def set_policy(
    actor: Actor,
    program: Program,
    *,
    reviewer_roles: list[str],
    compliance_reviewer_ids: Iterable[int] = (),
    regulated: bool = False,
) -> ProgramContentPolicy:
    require(actor, "content.policies", program.organisation_id)
    roles = sorted(set(reviewer_roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"reviewer_roles": _("Unknown roles: %s") % ", ".join(unknown)})
    reviewers = list(
        Person.objects.filter(organisation=actor.organisation, pk__in=list(compliance_reviewer_ids))
    )
    if not roles and not reviewers:
        raise ValidationError(
            {"reviewer_roles": _("Someone must be able to approve: choose a role or a person.")}
        )
    policy = policy_of(program)
    before = {"reviewer_roles": policy.reviewer_roles, "regulated": policy.regulated}
    policy.reviewer_roles = roles
    policy.regulated = regulated
    policy.save()
    policy.compliance_reviewers.set(reviewers)
    audit.record(
        "content.policy_changed",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        before=before,
        after={
            "reviewer_roles": roles,
            "regulated": regulated,
            "compliance_reviewers": [person.pk for person in reviewers],
        },
    )
    return policy


# --- Items ------------------------------------------------------------------------------

ITEM_FIELDS = (
    "program_id",
    "kind",
    "title",
    "description",
    "body",
    "url",
    "job_site",
    "contract_type",
    "apply_url",
    "event_start",
    "event_place",
    "registration_url",
    "language",
    "channel_ids",
    "category_id",
    "department_ids",
    "site_ids",
    "type_ids",
    "target_languages",
    "publish_from",
    "publish_until",
    "featured",
    "credited_id",
    "image_alt",
)


def snapshot(item: ContentItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "kind": item.kind,
        "status": item.status,
        "description": item.description,
        "body": item.body,
        "url": item.url,
        "language": item.language,
        "program": item.program_id,
        "category": item.category_id,
        "channels": sorted(item.channels.values_list("pk", flat=True)),
        "targets": {
            "departments": sorted(item.target_departments.values_list("pk", flat=True)),
            "sites": sorted(item.target_sites.values_list("pk", flat=True)),
            "languages": item.language_list,
            "ambassador_types": sorted(item.target_ambassador_types.values_list("pk", flat=True)),
        },
        "publish_from": item.publish_from.isoformat() if item.publish_from else None,
        "publish_until": item.publish_until.isoformat() if item.publish_until else None,
        "featured": item.featured,
        "messages": [
            {"language": m.language, "network": m.network, "text": m.text, "tags": m.hashtags}
            for m in item.messages.all()
        ],
    }


def _apply_fields(actor: Actor, item: ContentItem, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Validates and sets the item's own fields; returns the many-to-many choices."""
    organisation_id = actor.organisation.pk
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    current = {name: getattr(item, name, None) for name in ITEM_FIELDS}

    def value(name: str) -> Any:
        return values.get(name, current.get(name))

    program_id = value("program_id")
    if not program_id:
        raise ValidationError({"program_id": _("Choose the program the item belongs to.")})
    if not Program.objects.filter(
        organisation_id=organisation_id, pk=program_id, status=Program.Status.ACTIVE
    ).exists():
        raise ValidationError({"program_id": _("Choose an active program of the organisation.")})
    item.program_id = program_id
    kind = value("kind") or Kind.ARTICLE
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of content.")})
    item.kind = kind
    item.title = plain(value("title"), "title", limit=300, required=kind != Kind.ARTICLE)
    item.description = plain(value("description"), "description", limit=2000)
    item.body = rich(value("body"))
    item.url = web_address(value("url"), "url", required=kind == Kind.ARTICLE)
    item.apply_url = web_address(value("apply_url"), "apply_url")
    item.registration_url = web_address(value("registration_url"), "registration_url")
    item.job_site = plain(value("job_site"), "job_site", limit=120)
    item.contract_type = plain(value("contract_type"), "contract_type", limit=60)
    item.event_place = plain(value("event_place"), "event_place", limit=200)
    item.image_alt = plain(value("image_alt"), "image_alt", limit=300)
    item.event_start = value("event_start")
    if kind == Kind.JOB and not (item.apply_url or item.url):
        raise ValidationError({"apply_url": _("A job offer needs the address where people apply.")})
    if kind == Kind.JOB and not item.job_site:
        raise ValidationError({"job_site": _("Say where the job is.")})
    if kind == Kind.EVENT and item.event_start is None:
        raise ValidationError({"event_start": _("An event needs its date and time.")})
    if kind in {Kind.TEXT, Kind.EXPERTISE, Kind.INTERNAL_NEWS} and not (
        item.body or item.description or item.url
    ):
        raise ValidationError({"body": _("Write the text of the item.")})
    item.language = _language(value("language") or "fr")
    category_id = value("category_id")
    if (
        category_id
        and not Category.objects.filter(organisation_id=organisation_id, pk=category_id).exists()
    ):
        raise ValidationError({"category_id": _("Choose one of the organisation's categories.")})
    item.category_id = category_id or None
    credited_id = value("credited_id")
    if (
        credited_id
        and not Person.objects.filter(organisation_id=organisation_id, pk=credited_id).exists()
    ):
        raise ValidationError({"credited_id": _("Choose someone of the organisation.")})
    item.credited_id = credited_id or None
    item.publish_from = value("publish_from")
    item.publish_until = value("publish_until")
    if item.publish_from and item.publish_until and item.publish_until <= item.publish_from:
        raise ValidationError(
            {"publish_until": _("The end of publication must be after its start.")}
        )
    item.featured = bool(value("featured"))
    target_languages = values.get("target_languages")
    if target_languages is not None:
        for code in target_languages:
            _language(code, "target_languages")
        ordered = [code for code, _label in LANGUAGES if code in set(target_languages)]
        item.target_languages = f",{','.join(ordered)}," if ordered else ""
        item.targets_languages = bool(ordered)
    many: dict[str, list[Any]] = {}
    for name, model, field in (
        ("channel_ids", Channel, "channels"),
        ("department_ids", Department, "target_departments"),
        ("site_ids", Site, "target_sites"),
        ("type_ids", AmbassadorType, "target_ambassador_types"),
    ):
        if name in values and values[name] is not None:
            many[field] = _owned(model, values[name], organisation_id, name)
    if "target_departments" in many:
        item.targets_departments = bool(many["target_departments"])
    if "target_sites" in many:
        item.targets_sites = bool(many["target_sites"])
    if "target_ambassador_types" in many:
        item.targets_types = bool(many["target_ambassador_types"])
    return many


def _url_changed(item: ContentItem, previous_url: str) -> bool:
    return bool(item.url) and item.url != previous_url


@transaction.atomic
def create_item(actor: Actor, **values: Any) -> ContentItem:
    require(actor, "content.edit")
    return build_item(actor, **values)


def build_item(actor: Actor, **values: Any) -> ContentItem:
    """Creates the item without the studio permission check (trusted suggestions)."""
    item = ContentItem(organisation=actor.organisation, author=actor.person)
    many = _apply_fields(actor, item, values)
    if item.url:
        item.preview_status = PreviewStatus.PENDING
        from ambassade.content.feeds import canonical_url

        item.canonical_url = canonical_url(item.url)
        if not item.title:
            item.title = item.url[:300]
    item.save()
    for field, objects in many.items():
        getattr(item, field).set(objects)
    audit.record(
        "content.item_created",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"kind": item.kind, "title": item.title, "program": item.program_id},
    )
    if item.url:
        from ambassade.content import tasks

        on_commit(tasks.fetch_preview, item.pk)
    return item


@transaction.atomic
def update_item(actor: Actor, item: ContentItem, **values: Any) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if item.status not in EDITABLE:
        raise ValidationError(_("An expired or archived item cannot be changed; reopen it first."))
    regulated = policy_of(item.program).regulated
    if item.status == Status.PUBLISHED and regulated:
        raise ValidationError(
            _(
                "A published item of a regulated program cannot be changed: archive it and "
                "create a new one, which will be reviewed."
            )
        )
    before = snapshot(item)
    previous_url = item.url
    many = _apply_fields(actor, item, values)
    if _url_changed(item, previous_url):
        from ambassade.content.feeds import canonical_url

        item.canonical_url = canonical_url(item.url)
        item.preview_status = PreviewStatus.PENDING
        item.preview_error = ""
    if item.status in {Status.SUBMITTED, Status.APPROVED}:
        item.status = Status.DRAFT  # a changed item is reviewed again
    item.save()
    for field, objects in many.items():
        getattr(item, field).set(objects)
    after = snapshot(item)
    audit.record(
        "content.item_changed",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before=before,
        after=after,
    )
    if item.status == Status.PUBLISHED:
        _record_version(item, actor)
    if _url_changed(item, previous_url):
        from ambassade.content import tasks

        on_commit(tasks.fetch_preview, item.pk)
    return item


def item_image_folder(item: ContentItem) -> str:
    return f"content/{item.organisation_id}"


@transaction.atomic
def attach_image(actor: Actor, item: ContentItem, data: bytes, alt: str = "") -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    try:
        stored = images.store(data, folder=item_image_folder(item))
    except images.ImageError as error:
        raise ValidationError({"image": error.message}) from None
    item.image = stored.name
    if alt:
        item.image_alt = plain(alt, "image_alt", limit=300)
    item.save(update_fields=["image", "image_alt", "updated_at"])
    audit.record(
        "content.image_attached",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"image": stored.name, "width": stored.width, "height": stored.height},
    )
    return item


def read_preview(item: ContentItem) -> str:
    """Reads the item's page and stores its card and image; returns the error, if any.

    Used by the background task and by the studio's "fetch the preview" button.
    """
    hosts = selectors.allowed_hosts(item.organisation)
    try:
        card = preview.read(item.url, allowed_hosts=hosts)
    except preview.PreviewError as error:
        item.preview_status = PreviewStatus.FAILED
        item.preview_error = error.message[:300]
        item.save(update_fields=["preview_status", "preview_error", "updated_at"])
        return error.message
    if not item.title or item.title == item.url[:300]:
        item.title = card.title
    item.description = item.description or card.description
    item.site_name = card.site_name
    item.canonical_url = card.canonical_url or item.canonical_url
    item.preview_status = PreviewStatus.READY
    item.preview_error = ""
    if card.image_url and not item.image:
        try:
            item.image = images.store_from_url(
                card.image_url, folder=item_image_folder(item), allowed_hosts=hosts
            ).name
        except images.ImageError as error:
            item.preview_error = (_("The page's image was not kept: %s") % error.message)[:300]
    item.save()
    return ""


@transaction.atomic
def fetch_preview_now(actor: Actor, item: ContentItem) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if not item.url:
        raise ValidationError({"url": _("The item has no address to read.")})
    error = read_preview(item)
    audit.record(
        "content.preview_fetched",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"status": item.preview_status, "error": error},
    )
    return item


@transaction.atomic
def create_translation(actor: Actor, item: ContentItem, language: str) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    _language(language)
    if ContentItem.objects.filter(group=item.group, language=language).exists():
        raise ValidationError({"language": _("The item already exists in this language.")})
    copy = ContentItem.objects.get(pk=item.pk)
    channels = list(item.channels.all())
    departments = list(item.target_departments.all())
    sites = list(item.target_sites.all())
    types = list(item.target_ambassador_types.all())
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.language = language
    copy.status = Status.DRAFT
    copy.author = actor.person
    copy.published_at = copy.submitted_at = None
    copy.save()
    copy.channels.set(channels)
    copy.target_departments.set(departments)
    copy.target_sites.set(sites)
    copy.target_ambassador_types.set(types)
    audit.record(
        "content.translation_created",
        organisation=actor.organisation,
        actor=actor,
        target=copy,
        after={"of": item.pk, "language": language},
    )
    return copy


# --- Suggested messages -----------------------------------------------------------------


def _message_values(
    actor: Actor,
    item: ContentItem,
    *,
    language: str,
    network: str,
    text: str,
    hashtags: str,
    mentions: str,
) -> dict[str, Any]:
    _language(language)
    if network not in Network.values:
        raise ValidationError({"network": _("Choose a network.")})
    text = plain(text, "text", limit=3000, required=True)
    hashtags = plain(hashtags, "hashtags", limit=300)
    mentions = plain(mentions, "mentions", limit=300)
    tags = " ".join(
        word if word.startswith("#") else f"#{word}" for word in hashtags.replace(",", " ").split()
    )
    people = " ".join(
        word if word.startswith("@") else f"@{word}" for word in mentions.replace(",", " ").split()
    )
    return {
        "language": language,
        "network": network,
        "text": text,
        "hashtags": tags,
        "mentions": people,
    }


def check_or_refuse(organisation: Any, message: SuggestedMessage) -> guidelines.CheckResult:
    """Checks the whole message against the guidelines; a blocking finding refuses it."""
    result = selectors.check_message(organisation, message.full_text, message.network)
    if result.blocked:
        reasons = "; ".join(
            f"“{finding.matched}”: {finding.reason or _('not allowed')}"
            for finding in result.blocking
        )
        raise ValidationError({"text": _("Not saved, the guidelines forbid it: %s") % reasons})
    for counted in limits.counts(message.full_text, message.network):
        if counted.over and message.network != Network.ANY:
            raise ValidationError(
                {
                    "text": _("Too long for %(network)s: %(used)s of %(limit)s characters.")
                    % {"network": counted.network, "used": counted.used, "limit": counted.limit}
                }
            )
    return result


@transaction.atomic
def add_message(actor: Actor, item: ContentItem, **values: Any) -> tuple[SuggestedMessage, Any]:
    require(actor, "content.edit", item.organisation_id)
    if not item.shareable:
        raise ValidationError(_("Internal news is never shared outside: it has no messages."))
    message = SuggestedMessage(item=item, **_message_values(actor, item, **values))
    result = check_or_refuse(actor.organisation, message)
    message.save()
    audit.record(
        "content.message_added",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"language": message.language, "network": message.network, "text": message.text},
    )
    return message, result


@transaction.atomic
def update_message(
    actor: Actor, message: SuggestedMessage, **values: Any
) -> tuple[SuggestedMessage, Any]:
    require(actor, "content.edit", message.item.organisation_id)
    before = {"text": message.text, "network": message.network, "language": message.language}
    for name, value in _message_values(actor, message.item, **values).items():
        setattr(message, name, value)
    result = check_or_refuse(actor.organisation, message)
    message.save()
    audit.record(
        "content.message_changed",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before=before,
        after={"text": message.text},
    )
    return message, result


@transaction.atomic
def apply_suggested_wording(
    actor: Actor, message: SuggestedMessage, index: int
) -> SuggestedMessage:
    """One-click apply: replaces the preferred-term finding number ``index`` of the text."""
    require(actor, "content.edit", message.item.organisation_id)
    result = guidelines.check(message.text, selectors.glossary(actor.organisation))
    suggestions = result.suggestions
    if not 0 <= index < len(suggestions):
        raise ValidationError(_("This suggestion no longer applies."))
    before = message.text
    message.text = guidelines.apply_suggestion(message.text, suggestions[index])
    message.save(update_fields=["text"])
    audit.record(
        "content.message_changed",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before={"text": before},
        after={"text": message.text},
    )
    return message


@transaction.atomic
def delete_message(actor: Actor, message: SuggestedMessage) -> None:
    require(actor, "content.edit", message.item.organisation_id)
    audit.record(
        "content.message_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before={"text": message.text},
    )
    message.delete()


# --- Comments and the workflow ----------------------------------------------------------


def _comment(actor: Actor, item: ContentItem, text: str, transition: str = "") -> ReviewComment:
    return ReviewComment.objects.create(
        item=item,
        author=actor.person,
        author_label=actor.label,
        text=text,
        transition=transition,
    )


@transaction.atomic
def add_comment(actor: Actor, item: ContentItem, text: str) -> ReviewComment:
    if not (allowed(actor, "content.edit") or may_review(actor, item.program)):
        raise PermissionDenied
    if item.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    comment = _comment(actor, item, plain(text, "text", limit=3000, required=True))
    audit.record(
        "content.comment_added",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"text": comment.text},
    )
    return comment


def _transition(actor: Actor | None, item: ContentItem, to: str, **extra: Any) -> None:
    before = item.status
    item.status = to
    item.save()
    audit.record(
        f"content.item_{to}",
        organisation=item.organisation,
        actor=actor,
        target=item,
        before={"status": before},
        after={"status": to, **extra},
    )


def _record_version(item: ContentItem, actor: Actor | None) -> ContentVersion:
    now = timezone.now()
    number = (item.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    regulated = policy_of(item.program).regulated
    return ContentVersion.objects.create(
        item=item,
        number=number,
        snapshot=snapshot(item),
        published_at=now,
        published_by_label=actor.label if actor else "system",
        keep_until=now + RETENTION_REGULATED if regulated else None,
    )


def _go_live(actor: Actor | None, item: ContentItem, now: datetime | None = None) -> None:
    """Published now, or approved and waiting when its window starts later."""
    now = now or timezone.now()
    if item.publish_from and item.publish_from > now:
        if item.status != Status.APPROVED:
            _transition(actor, item, Status.APPROVED, scheduled_for=item.publish_from.isoformat())
        return
    item.published_at = now
    _transition(actor, item, Status.PUBLISHED)
    _record_version(item, actor)


@transaction.atomic
def submit(actor: Actor, item: ContentItem) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if item.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    item.submitted_at = timezone.now()
    _transition(actor, item, Status.SUBMITTED)
    return item


@transaction.atomic
def approve(actor: Actor, item: ContentItem, comment: str = "") -> ContentItem:
    """A reviewer approves; the item is published at once or when its window opens."""
    if item.organisation_id != actor.organisation.pk or not may_review(actor, item.program):
        raise PermissionDenied
    if item.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted item can be approved."))
    policy = policy_of(item.program)
    if policy.regulated and actor.person is not None and item.author_id == actor.person.pk:
        raise ValidationError(
            _("In a regulated program, someone other than the author approves the item.")
        )
    if comment.strip():
        _comment(actor, item, plain(comment, "comment", limit=3000), Status.APPROVED)
    _transition(actor, item, Status.APPROVED)
    _go_live(actor, item)
    return item


@transaction.atomic
def send_back(actor: Actor, item: ContentItem, comment: str) -> ContentItem:
    """Back to draft, with the reviewer's comment saying what to change."""
    if item.organisation_id != actor.organisation.pk or not may_review(actor, item.program):
        raise PermissionDenied
    if item.status not in {Status.SUBMITTED, Status.APPROVED}:
        raise ValidationError(_("Only a submitted or approved item can be sent back."))
    text = plain(comment, "comment", limit=3000)
    if not text:
        raise ValidationError({"comment": _("Say what should change: the author reads it.")})
    _comment(actor, item, text, Status.DRAFT)
    _transition(actor, item, Status.DRAFT, comment=text)
    return item


@transaction.atomic
def publish(actor: Actor, item: ContentItem) -> ContentItem:
    """Publishing directly: an approved item, or a draft of a program that is not regulated."""
    require(actor, "content.edit", item.organisation_id)
    regulated = policy_of(item.program).regulated
    if item.status == Status.APPROVED:
        _go_live(actor, item)
        return item
    if item.status not in {Status.DRAFT, Status.SUBMITTED}:
        raise ValidationError(_("This item cannot be published from its current state."))
    if regulated and not may_review(actor, item.program):
        raise ValidationError(_("This program is regulated: every item needs an approval."))
    if regulated:
        raise ValidationError(_("This program is regulated: submit the item for approval."))
    _go_live(actor, item)
    return item


@transaction.atomic
def archive(actor: Actor, item: ContentItem) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if item.status == Status.ARCHIVED:
        return item
    _transition(actor, item, Status.ARCHIVED)
    return item


@transaction.atomic
def reopen(actor: Actor, item: ContentItem) -> ContentItem:
    """An expired or archived item back to draft, to be reviewed and published again."""
    require(actor, "content.edit", item.organisation_id)
    if item.status not in {Status.EXPIRED, Status.ARCHIVED}:
        raise ValidationError(_("Only an expired or archived item can be reopened."))
    if item.publish_until and item.publish_until <= timezone.now():
        item.publish_until = None
    _transition(actor, item, Status.DRAFT)
    return item


@transaction.atomic
def delete_item(actor: Actor, item: ContentItem) -> None:
    require(actor, "content.edit", item.organisation_id)
    if item.versions.exists() or item.status != Status.DRAFT:
        raise ValidationError(_("Only a draft never published can be deleted; archive it instead."))
    audit.record(
        "content.item_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before={"title": item.title},
    )
    item.delete()


def publish_due(now: datetime | None = None) -> int:
    """Approved items whose window has opened are published (periodic task)."""
    now = now or timezone.now()
    done = 0
    for item in ContentItem.objects.filter(status=Status.APPROVED, publish_from__lte=now):
        with transaction.atomic():
            _go_live(None, item, now)
        done += 1
    return done


def expire_due(now: datetime | None = None) -> int:
    """Published items whose window has closed become expired (periodic task)."""
    now = now or timezone.now()
    done = 0
    for item in ContentItem.objects.filter(status=Status.PUBLISHED, publish_until__lte=now):
        with transaction.atomic():
            _transition(None, item, Status.EXPIRED)
        done += 1
    return done


# --- The person's feed ------------------------------------------------------------------


@transaction.atomic
def hide_item(actor: Actor, item: ContentItem) -> None:
    """“Not interested”: the item leaves this person's feed."""
    require(actor, "feed.view", item.organisation_id)
    if actor.person is None:
        raise PermissionDenied
    HiddenItem.objects.get_or_create(person=actor.person, item=item)
