"""The ambassador's feed: targeting, windows, translations, internal news, speed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassade.content.models import Channel, ContentItem, Kind, Status, SuggestedMessage
from ambassade.content.tests.conftest import as_actor
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def published(persona, program, **fields) -> ContentItem:
    departments = fields.pop("departments", [])
    channels = fields.pop("channels", [])
    defaults = {
        "title": "Item",
        "status": Status.PUBLISHED,
        "published_at": timezone.now(),
        "language": "fr",
    }
    item = ContentItem.objects.create(
        organisation=persona.organisation, program=program, **{**defaults, **fields}
    )
    if departments:
        item.target_departments.set(departments)
        item.targets_departments = True
        item.save()
    item.channels.set(channels)
    return item


@pytest.fixture
def sales_and_rnd(persona):
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    rnd = DepartmentFactory(organisation=persona.organisation, name="R&D")
    persona.ambassador.department = sales
    persona.ambassador.save()
    other = PersonFactory(
        organisation=persona.organisation,
        email="other@example.com",
        department=rnd,
        roles=["ambassador"],
        with_user=True,
    )
    return sales, rnd, other


def test_a_targeted_ambassador_sees_the_item_and_a_non_targeted_one_does_not(
    persona, client_for, program, enrol, sales_and_rnd
) -> None:
    sales, _rnd, other = sales_and_rnd
    enrol(persona.ambassador)
    enrol(other)
    published(persona, program, title="Pour les ventes", departments=[sales])
    published(persona, program, title="Pour tout le monde")
    mine = client_for(persona.ambassador).get("/feed/").content.decode()
    theirs = client_for(other).get("/feed/").content.decode()
    assert "Pour les ventes" in mine and "For Ventes, in French" in mine
    assert "Pour tout le monde" in mine and "For everyone, in French" in mine
    assert "Pour les ventes" not in theirs
    assert "Pour tout le monde" in theirs


def test_windows_drafts_and_other_organisations_stay_out(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    now = timezone.now()
    published(persona, program, title="Visible")
    published(persona, program, title="Later", publish_from=now + timedelta(days=1))
    published(persona, program, title="Gone", publish_until=now - timedelta(minutes=1))
    published(persona, program, title="Brouillon", status=Status.DRAFT)
    from ambassade.programs.models import Program

    elsewhere = Program.objects.create(organisation=persona.outsider.organisation, name="X")
    ContentItem.objects.create(
        organisation=persona.outsider.organisation,
        program=elsewhere,
        title="Ailleurs",
        status=Status.PUBLISHED,
        published_at=now,
    )
    page = client_for(persona.ambassador).get("/feed/").content.decode()
    assert "Visible" in page
    for hidden in ("Later", "Gone", "Brouillon", "Ailleurs"):
        assert hidden not in page


def test_featured_first_channel_filter_search_and_translation_choice(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    persona.ambassador.languages = ["en"]
    persona.ambassador.save()
    jobs = Channel.objects.create(organisation=persona.organisation, name="Recrutement")
    older = published(
        persona,
        program,
        title="Older featured",
        featured=True,
        language="en",
        published_at=timezone.now() - timedelta(days=3),
    )
    published(persona, program, title="Fresh job", language="en", channels=[jobs])
    french = published(persona, program, title="Version française")
    published(persona, program, title="English version", language="en", group=french.group)
    client = client_for(persona.ambassador)
    page = client.get("/feed/").content.decode()
    assert page.index(older.title) < page.index("Fresh job")
    assert "English version" in page and "Version française" not in page
    filtered = client.get(f"/feed/?channel={jobs.pk}").content.decode()
    assert "Fresh job" in filtered and "Older featured" not in filtered
    searched = client.get("/feed/?q=fresh").content.decode()
    assert "Fresh job" in searched and "Older featured" not in searched


def test_internal_news_never_has_a_share_action(persona, client_for, program, enrol) -> None:
    enrol(persona.ambassador)
    news = published(persona, program, title="Pot de départ", kind=Kind.INTERNAL_NEWS)
    article = published(persona, program, title="Article", url="https://example.com")
    client = client_for(persona.ambassador)
    page = client.get("/feed/").content.decode()
    assert f"/share/{article.pk}/" in page  # the Sharing composer
    assert f"/share/{news.pk}/" not in page
    assert "Internal only" in page
    assert client.get(f"/feed/{news.pk}/share").status_code == 404
    api = client.get("/api/v1/feed").json()["items"]
    by_id = {row["id"]: row for row in api}
    assert by_id[news.pk]["shareable"] is False and by_id[news.pk]["may_share"] is False
    assert by_id[article.pk]["may_share"] is True


def test_only_enrolled_people_see_share_buttons(persona, client_for, program) -> None:
    item = published(persona, program, title="Article", url="https://example.com")
    page = client_for(persona.employee).get("/feed/").content.decode()
    assert "Article" in page
    assert f"/share/{item.pk}/" not in page
    assert client_for(persona.employee).get(f"/feed/{item.pk}/share").status_code == 404


def test_the_share_page_shows_messages_with_the_guideline_check(
    persona, client_for, program, enrol
) -> None:
    from ambassade.content.models import Disclosure

    enrol(persona.ambassador)
    Disclosure.objects.create(organisation=persona.organisation, network="x", text="#salarié")
    item = published(persona, program, title="Article", url="https://example.com")
    SuggestedMessage.objects.create(item=item, language="fr", network="x", text="Bravo !")
    page = client_for(persona.ambassador).get(f"/feed/{item.pk}/share").content.decode()
    assert "Bravo !" in page and "#salarié" in page


def test_not_interested_hides_the_item_for_that_person_only(
    persona, client_for, program, enrol
) -> None:
    enrol(persona.ambassador)
    item = published(persona, program, title="Bof")
    client = client_for(persona.ambassador)
    assert client.post(f"/feed/{item.pk}/hide").status_code == 302
    assert f'id="item-{item.pk}"' not in client.get("/feed/").content.decode()
    assert f'id="item-{item.pk}"' in client_for(persona.employee).get("/feed/").content.decode()


def test_the_already_shared_badge_uses_the_seam(persona, client_for, program, monkeypatch) -> None:
    item = published(persona, program, title="Partagé")
    monkeypatch.setattr(
        "ambassade.content.selectors.shared_networks", lambda person: {item.pk: ["Bluesky"]}
    )
    assert (
        "Already shared on Bluesky" in client_for(persona.employee).get("/feed/").content.decode()
    )


def test_the_feed_page_query_count_does_not_grow_with_items(
    persona, client_for, program, enrol, sales_and_rnd
) -> None:
    sales, _rnd, _other = sales_and_rnd
    enrol(persona.ambassador)
    channel = Channel.objects.create(organisation=persona.organisation, name="RSE")
    client = client_for(persona.ambassador)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/feed/").status_code == 200
        return len(captured)

    for index in range(3):
        published(persona, program, title=f"A{index}", departments=[sales], channels=[channel])
    few = queries()
    for index in range(25):
        published(persona, program, title=f"B{index}", departments=[sales], channels=[channel])
    assert queries() == few


def test_the_feed_is_refused_without_a_person_and_anonymous_goes_to_sign_in(client) -> None:
    assert client.get("/feed/").status_code == 302


def test_hiding_needs_an_item_of_the_feed(persona, client_for, program) -> None:
    item = published(persona, program, title="Brouillon", status=Status.DRAFT)
    assert client_for(persona.ambassador).post(f"/feed/{item.pk}/hide").status_code == 404
    assert as_actor(persona.ambassador).person is not None


def test_the_feed_is_paginated(persona, client_for, program) -> None:
    for index in range(23):
        published(persona, program, title=f"Item {index:02d}")
    client = client_for(persona.employee)
    first = client.get("/feed/").content.decode()
    assert "page=2" in first and first.count('class="feed-card card"') == 20
    second = client.get("/feed/?page=2").content.decode()
    assert second.count('class="feed-card card"') == 3 and "page=3" not in second
