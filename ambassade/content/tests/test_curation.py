"""Sources polled into the curation inbox, suggestions, and the periodic tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.content import curation_actions
from ambassade.content.models import (
    Channel,
    ContentItem,
    ContentSettings,
    CurationEntry,
    Source,
    Status,
    Suggestion,
)
from ambassade.content.tasks import expire_items, poll_sources, publish_scheduled

pytestmark = pytest.mark.django_db


def _source(persona, program, site, path="/feed.xml", **extra) -> Source:
    channel = Channel.objects.create(organisation=persona.organisation, name="Blog")
    return Source.objects.create(
        organisation=persona.organisation,
        url=f"{site.url}{path}",
        channel=channel,
        program=program,
        **extra,
    )


def test_a_local_feed_is_polled_into_the_inbox_and_an_entry_accepted_with_its_preview(
    persona, client_for, program, site, immediate_tasks
) -> None:
    client = client_for(persona.marketer)
    channel = Channel.objects.create(organisation=persona.organisation, name="Blog")
    response = client.post(
        "/console/content/sources/",
        {"url": f"{site.url}/feed.xml", "program": program.pk, "channel": channel.pk},
    )
    assert response.status_code == 302
    poll_sources.call()
    entries = CurationEntry.objects.order_by("id")
    assert [entry.title for entry in entries] == ["Nouvelle usine à Lyon", "Our CSR report"]
    assert entries[0].url == f"{site.url}/news/lyon"  # canonical: no utm_*
    assert entries[0].summary == "Une usine neuve."  # HTML stripped
    inbox = client.get("/console/content/inbox/").content.decode()
    assert "Nouvelle usine à Lyon" in inbox
    with immediate_tasks():
        client.post(f"/console/content/inbox/{entries[0].pk}/accept")
    item = ContentItem.objects.get()
    assert item.status == Status.DRAFT
    assert item.preview_status == "ready" and item.image
    assert item.site_name == "Verdier Newsroom"
    assert list(item.channels.values_list("name", flat=True)) == ["Blog"]
    client.post(f"/console/content/inbox/{entries[1].pk}/discard")
    assert CurationEntry.objects.get(pk=entries[1].pk).state == "discarded"
    assert "Nouvelle usine" not in client.get("/console/content/inbox/").content.decode()


def test_polling_is_conditional_and_deduplicates(persona, program, site) -> None:
    source = _source(persona, program, site)
    assert curation_actions.poll_source(source) == 2
    assert source.etag == '"v1"'
    before = len(site.hits)
    assert curation_actions.poll_source(source) == 0  # 304 Not Modified
    assert site.hits[-1][1].get("If-None-Match") == '"v1"'
    assert len(site.hits) == before + 1
    source.etag = ""
    assert curation_actions.poll_source(source) == 0  # same entries: de-duplicated
    assert CurationEntry.objects.count() == 2


def test_an_entry_already_an_item_is_not_added_again(persona, program, site) -> None:
    ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Déjà là",
        url=f"{site.url}/news/csr",
        canonical_url=f"{site.url}/news/csr",
    )
    assert curation_actions.poll_source(_source(persona, program, site)) == 1


def test_failures_back_off_and_a_source_failing_for_three_days_is_flagged(
    persona, client_for, program, site
) -> None:
    source = _source(persona, program, site, path="/broken.xml")
    now = timezone.now()
    curation_actions.poll_source(source, now)
    assert source.failures == 1
    assert source.next_poll_at - now == timedelta(hours=1)
    curation_actions.poll_source(source, now)
    assert source.next_poll_at - now == timedelta(hours=2)
    for _ in range(10):
        curation_actions.poll_source(source, now)
    assert source.next_poll_at - now == timedelta(hours=24)
    assert "erreur 500" in source.last_error
    assert not source.is_failing
    Source.objects.filter(pk=source.pk).update(failing_since=now - timedelta(days=4))
    page = client_for(persona.marketer).get("/console/content/sources/").content.decode()
    assert "failing for more than 3 days" in page


def test_a_trusted_source_publishes_into_its_channel(persona, program, site) -> None:
    source = _source(persona, program, site, trusted=True)
    curation_actions.poll_source(source)
    items = ContentItem.objects.filter(status=Status.PUBLISHED)
    assert items.count() == 2
    assert all(item.channels.get() == source.channel for item in items)


def test_suggestions_are_moderated_and_the_author_is_told_and_credited(
    persona, client_for, program, enrol, immediate_tasks, mailoutbox
) -> None:
    enrol(persona.ambassador)
    ambassador = client_for(persona.ambassador)
    refused = ambassador.post("/me/suggest/", {"note": "rien"})
    assert "Give an address or write a text" in refused.content.decode()
    ambassador.post("/me/suggest/", {"url": "https://example.com/a", "note": "Super article"})
    suggestion = Suggestion.objects.get()
    assert (
        "Super article"
        in client_for(persona.marketer).get("/console/content/suggestions/").content.decode()
    )
    with immediate_tasks():
        client_for(persona.marketer).post(
            f"/console/content/suggestions/{suggestion.pk}/moderate",
            {"decision": "accept", "response": "Merci !"},
        )
    suggestion.refresh_from_db()
    assert suggestion.state == "accepted"
    assert suggestion.item.credited == persona.ambassador
    assert suggestion.item.status == Status.DRAFT
    sent = [m for m in mailoutbox if m.to == ["ambassador@example.com"]]
    # The organisation's language is French and the author chose none: the mail is in French.
    assert sent and "Merci !" in sent[0].body and "retenue" in sent[0].subject


def test_an_author_whose_last_suggestions_were_all_accepted_publishes_directly(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    ContentSettings.objects.create(organisation=persona.organisation, trusted_after=2)
    now = timezone.now()
    for index in range(2):
        Suggestion.objects.create(
            organisation=persona.organisation,
            author=persona.ambassador,
            url=f"https://example.com/{index}",
            state="accepted",
            moderated_at=now - timedelta(days=index + 1),
        )
    client_for(persona.ambassador).post("/me/suggest/", {"text": "Bravo à l'équipe de Lyon"})
    latest = Suggestion.objects.order_by("-id").first()
    assert latest.state == "accepted"
    assert latest.item.status == Status.PUBLISHED
    assert latest.item.credited == persona.ambassador
    from ambassade.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="content.suggestion_published_directly").exists()


def test_one_rejection_among_the_last_n_keeps_moderation(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    ContentSettings.objects.create(organisation=persona.organisation, trusted_after=2)
    now = timezone.now()
    for index, state in enumerate(["rejected", "accepted"]):
        Suggestion.objects.create(
            organisation=persona.organisation,
            author=persona.ambassador,
            text=str(index),
            state=state,
            moderated_at=now - timedelta(days=index + 1),
        )
    client_for(persona.ambassador).post("/me/suggest/", {"text": "Encore"})
    assert Suggestion.objects.order_by("-id").first().state == "pending"


def test_scheduled_publication_and_expiry_tasks(persona, program) -> None:
    now = timezone.now()
    due = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Due",
        status=Status.APPROVED,
        publish_from=now - timedelta(minutes=1),
    )
    later = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Later",
        status=Status.APPROVED,
        publish_from=now + timedelta(days=1),
    )
    ended = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Ended",
        status=Status.PUBLISHED,
        published_at=now - timedelta(days=3),
        publish_until=now - timedelta(minutes=1),
    )
    assert publish_scheduled.call() == 1
    assert expire_items.call() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    ended.refresh_from_db()
    assert due.status == Status.PUBLISHED and due.versions.count() == 1
    assert later.status == Status.APPROVED
    assert ended.status == Status.EXPIRED
    from ambassade.core.periodic import REGISTRY

    assert {
        "ambassade.content.tasks.publish_scheduled",
        "ambassade.content.tasks.expire_items",
    } <= (set(REGISTRY))


def test_suggestions_are_in_the_personal_data_export_and_erased(persona, program) -> None:
    from ambassade.core.personal_data import anonymise, collect

    Suggestion.objects.create(
        organisation=persona.organisation, author=persona.ambassador, text="Mon idée"
    )
    assert collect(persona.ambassador)["content"]["suggestions"][0]["text"] == "Mon idée"
    anonymise(persona.ambassador)
    assert not Suggestion.objects.exists()
