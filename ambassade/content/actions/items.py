"""Content items: creating, changing, images, previews and translations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.content import images, preview, selectors
from ambassade.content.actions import published_changes
from ambassade.content.actions._common import (
    _language,
    _record_version,
    announce_featured,
    on_commit,
    require,
    snapshot,
)
from ambassade.content.actions.cleaning import plain, rich, web_address
from ambassade.content.models import (
    LANGUAGES,
    Category,
    Channel,
    ContentItem,
    Kind,
    PreviewStatus,
    Status,
)
from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people.models import Department, Person, Site
from ambassade.programs.models import AmbassadorType, Program

# --- Items ------------------------------------------------------------------------------

EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED}
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
    "for_alumni",
    "credited_id",
    "image_alt",
)


def _owned(model: Any, ids: Iterable[int], organisation_id: int, field: str) -> list[Any]:
    wanted = sorted({int(pk) for pk in ids})
    found = list(model.objects.filter(organisation_id=organisation_id, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: _("Some of the choices do not exist.")})
    return found


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
    item.for_alumni = bool(value("for_alumni"))
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


def _save_many(item: ContentItem, many: dict[str, list[Any]]) -> None:
    for field, objects in many.items():
        getattr(item, field).set(objects)


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
    if published_changes.needs_review(item):
        return published_changes.propose_change(actor, item, values)
    before = snapshot(item)
    previous_url = item.url
    was_featured = item.featured
    many = _apply_fields(actor, item, values)
    if _url_changed(item, previous_url):
        from ambassade.content.feeds import canonical_url

        item.canonical_url = canonical_url(item.url)
        item.preview_status = PreviewStatus.PENDING
        item.preview_error = ""
    if item.status in {Status.SUBMITTED, Status.APPROVED}:
        item.status = Status.DRAFT  # a changed item is reviewed again
    item.save()
    _save_many(item, many)
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
        if item.featured and not was_featured:
            announce_featured(item)
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

    Used by the background task and by the studio's "fetch the preview" button. The error
    is stored for the organisation's people, so it is written in its default language.
    """
    with translation.override(item.organisation.default_language or "en"):
        return _read_preview(item)


def _read_preview(item: ContentItem) -> str:
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
