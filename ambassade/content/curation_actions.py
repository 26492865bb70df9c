"""Sources, their polling into the curation inbox, and the inbox's accept and discard."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.content import feeds, selectors
from ambassade.content.actions import (
    create_item,
    on_commit,
    plain,
    policy_of,
    require,
    strip_html,
    web_address,
)
from ambassade.content.models import (
    Channel,
    ContentItem,
    CurationEntry,
    Kind,
    PreviewStatus,
    Source,
    Status,
)
from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.batch import each
from ambassade.programs.models import Program


def _source_fields(actor: Actor, url: str, channel_id: int | None, program_id: int | None) -> dict:
    url = web_address(url, "url", required=True)
    if (
        channel_id
        and not Channel.objects.filter(organisation=actor.organisation, pk=channel_id).exists()
    ):
        raise ValidationError({"channel_id": _("Choose one of the organisation's channels.")})
    if (
        not program_id
        or not Program.objects.filter(organisation=actor.organisation, pk=program_id).exists()
    ):
        raise ValidationError({"program_id": _("Choose the program the entries belong to.")})
    return {"url": url, "channel_id": channel_id or None, "program_id": program_id}


@transaction.atomic
def add_source(
    actor: Actor,
    *,
    url: str,
    title: str = "",
    channel_id: int | None = None,
    program_id: int | None = None,
    trusted: bool = False,
) -> Source:
    require(actor, "content.edit")
    fields = _source_fields(actor, url, channel_id, program_id)
    if Source.objects.filter(organisation=actor.organisation, url=fields["url"]).exists():
        raise ValidationError({"url": _("This feed is already a source.")})
    source = Source.objects.create(
        organisation=actor.organisation,
        title=plain(title, "title", limit=200),
        trusted=trusted,
        **fields,
    )
    audit.record(
        "content.source_added",
        organisation=actor.organisation,
        actor=actor,
        target=source,
        after={"url": source.url, "trusted": trusted},
    )
    return source


@transaction.atomic
def update_source(
    actor: Actor, source: Source, *, trusted: bool | None = None, active: bool | None = None
) -> Source:
    require(actor, "content.edit", source.organisation_id)
    before = {"trusted": source.trusted, "active": source.active}
    if trusted is not None:
        source.trusted = trusted
    if active is not None:
        source.active = active
        if active:
            source.next_poll_at = timezone.now()
    source.save()
    audit.record(
        "content.source_changed",
        organisation=actor.organisation,
        actor=actor,
        target=source,
        before=before,
        after={"trusted": source.trusted, "active": source.active},
    )
    return source


@transaction.atomic
def delete_source(actor: Actor, source: Source) -> None:
    require(actor, "content.edit", source.organisation_id)
    audit.record(
        "content.source_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=source,
        before={"url": source.url},
    )
    source.delete()


def _known_urls(source: Source, urls: list[str]) -> set[str]:
    known = set(
        CurationEntry.objects.filter(
            organisation_id=source.organisation_id, url__in=urls
        ).values_list("url", flat=True)
    )
    known |= set(
        ContentItem.objects.filter(
            organisation_id=source.organisation_id, canonical_url__in=urls
        ).values_list("canonical_url", flat=True)
    )
    return known


def _backoff(source: Source, now: datetime, error: str) -> None:
    source.failures += 1
    source.failing_since = source.failing_since or now
    delay = min(Source.BASE_INTERVAL * (2**source.failures), Source.MAX_INTERVAL)
    source.next_poll_at = now + delay
    source.last_error = error[:300]


def poll_source(source: Source, now: datetime | None = None) -> int:
    """Polls one source; new entries go to the inbox (or straight out when trusted).

    Returns how many entries were added. Failures are recorded on the source with an
    exponential backoff (the wait doubles, up to a day); never raised.
    """
    now = now or timezone.now()
    hosts = selectors.allowed_hosts(source.organisation)
    try:
        # The error is stored for the organisation's people: in its language.
        with translation.override(source.organisation.default_language or "en"):
            result = feeds.poll(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                allowed_hosts=hosts,
            )
    except feeds.FeedError as error:
        _backoff(source, now, error.message)
        source.last_polled_at = now
        source.save()
        return 0
    source.failures = 0
    source.failing_since = None
    source.last_error = ""
    source.last_polled_at = now
    source.next_poll_at = now + Source.BASE_INTERVAL
    if result.not_modified:
        source.save()
        return 0
    source.etag, source.last_modified = result.etag[:300], result.last_modified[:100]
    source.title = source.title or result.title
    source.save()
    entries = [entry for entry in result.entries if len(entry.url) <= 2048]
    known = _known_urls(source, [entry.url for entry in entries])
    added = 0
    publish_directly = source.trusted and not policy_of(source.program).regulated
    for entry in entries:
        if entry.url in known:
            continue
        known.add(entry.url)
        try:
            with transaction.atomic():
                created = CurationEntry.objects.create(
                    organisation_id=source.organisation_id,
                    source=source,
                    url=entry.url,
                    title=strip_html(entry.title, 300) or entry.url[:300],
                    summary=strip_html(entry.summary, 2000),
                    image_url=entry.image_url if len(entry.image_url) <= 2048 else "",
                    published=entry.published,
                )
                if publish_directly:
                    _publish_trusted(source, created, now)
        except IntegrityError:
            continue  # another poll added it meanwhile
        added += 1
    audit.record(
        "content.source_polled",
        organisation=source.organisation,
        actor=None,
        target=source,
        after={"added": added, "trusted": publish_directly},
    )
    return added


def _draft_from_entry(entry: CurationEntry, program_id: int) -> ContentItem:
    return ContentItem(
        organisation_id=entry.organisation_id,
        program_id=program_id,
        kind=Kind.ARTICLE,
        title=entry.title,
        description=entry.summary[:2000],
        url=entry.url,
        canonical_url=entry.url,
        language=entry.organisation.default_language if entry.organisation else "fr",
        preview_status=PreviewStatus.PENDING,
        source=entry.source,
    )


def _publish_trusted(source: Source, entry: CurationEntry, now: datetime) -> None:
    from ambassade.content import tasks
    from ambassade.content.actions._common import _record_version, announce_published

    item = _draft_from_entry(entry, source.program_id)
    item.status = Status.PUBLISHED
    item.published_at = now
    item.save()
    if source.channel_id:
        item.channels.set([source.channel_id])
    entry.state = CurationEntry.State.ACCEPTED
    entry.item = item
    entry.save(update_fields=["state", "item"])
    _record_version(item, None)
    audit.record(
        "content.item_published",
        organisation=source.organisation,
        actor=None,
        target=item,
        after={"status": Status.PUBLISHED, "trusted_source": source.pk},
    )
    announce_published(item)
    on_commit(tasks.fetch_preview, item.pk)


def _entry(actor: Actor, entry: CurationEntry) -> None:
    require(actor, "content.edit", entry.organisation_id)
    if entry.state != CurationEntry.State.NEW:
        raise ValidationError(_("This entry was already handled."))


@transaction.atomic
def accept_entry(
    actor: Actor, entry: CurationEntry, *, title: str = "", description: str = ""
) -> ContentItem:
    """The entry becomes a draft item; its preview is read in the background."""
    _entry(actor, entry)
    item = create_item(
        actor,
        program_id=entry.source.program_id,
        kind=Kind.ARTICLE,
        title=title or entry.title,
        description=description or entry.summary[:2000],
        url=entry.url,
        language=actor.organisation.default_language or "fr",
        channel_ids=[entry.source.channel_id] if entry.source.channel_id else [],
    )
    item.source = entry.source
    item.save(update_fields=["source"])
    entry.state = CurationEntry.State.ACCEPTED
    entry.item = item
    entry.save(update_fields=["state", "item"])
    audit.record(
        "content.entry_accepted",
        organisation=actor.organisation,
        actor=actor,
        target=entry,
        after={"item": item.pk},
    )
    return item


@transaction.atomic
def discard_entry(actor: Actor, entry: CurationEntry) -> CurationEntry:
    _entry(actor, entry)
    entry.state = CurationEntry.State.DISCARDED
    entry.save(update_fields=["state"])
    audit.record(
        "content.entry_discarded", organisation=actor.organisation, actor=actor, target=entry
    )
    return entry


def poll_due(now: datetime | None = None, limit: int = 50) -> int:
    """Polls the sources whose next poll time has come (periodic task)."""
    moment = now or timezone.now()
    due = Source.objects.filter(active=True, next_poll_at__lte=moment).select_related(
        "organisation", "program"
    )[:limit]

    def failed(source: Source, message: str) -> None:
        # Waits like any failing source, so a source that breaks the code is not retried
        # every five minutes; the admin sees the error on the sources page.
        fresh = Source.objects.get(pk=source.pk)
        _backoff(fresh, moment, message)
        fresh.last_polled_at = moment
        fresh.save()

    return each(
        "content.poll_sources", due, lambda source: poll_source(source, moment), record=failed
    ).done
