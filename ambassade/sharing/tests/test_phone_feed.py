"""The ambassador's phone, through the pages: the bottom bar, Me, first steps, the feed's order.

The feed lists first what the person can share with one tap; every card says why it is
there, why it cannot be shared when it cannot, and where it was already shared.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import Share, ShareTarget, SocialAccount, TargetStatus

pytestmark = pytest.mark.django_db


def bottom_bar(page: str) -> list[str]:
    bar = page[page.index('<nav class="bottombar"') :]
    bar = bar[: bar.index("</nav>")]
    return re.findall(r"<a [^>]*>([^<]+)</a>", bar)


def card_ids(page: str) -> list[int]:
    return [
        int(found)
        for found in re.findall(
            r'<article class="feed-card card" aria-labelledby="item-(\d+)"', page
        )
    ]


def card(page: str, item: ContentItem) -> str:
    start = page.index(f'aria-labelledby="item-{item.pk}"')
    return page[start : page.index("</article>", start)]


def make_item(persona, program, title: str, days_ago: int = 0, **fields) -> ContentItem:
    return ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        status=Status.PUBLISHED,
        title=title,
        language="fr",
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def test_the_bottom_bar_holds_five_short_entries_and_me_leads_to_the_rest(
    client_for, enrolled
) -> None:
    client = client_for(enrolled)
    page = client.get("/feed/").content.decode()
    assert bottom_bar(page) == ["Home", "Feed", "My posts", "My figures", "Me"]
    me = client.get("/me/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert bottom_bar(me) == ["Accueil", "Fil", "Ma file", "Mes chiffres", "Moi"]
    space = me[
        me.index('id="my-space-title"') : me.index("</nav>", me.index('id="my-space-title"'))
    ]
    assert 'href="/me/accounts/"' in space and 'href="/me/programs/"' in space
    assert "Se déconnecter" in me[me.index("<main") :]  # sign out is on Me, not only up top
    # Pages under Me light "Me" up.
    accounts = client.get("/me/accounts/").content.decode()
    assert re.search(r'<a href="/me/" aria-current="page">Me</a>', accounts)


def test_the_language_switch_changes_only_when_its_button_is_pressed(client_for, enrolled) -> None:
    page = client_for(enrolled).get("/feed/").content.decode()
    form = page[
        page.index('class="language-form') : page.index(
            "</form>", page.index('class="language-form')
        )
    ]
    assert "data-autosubmit" not in form
    assert '<button type="submit" class="button-small">Change</button>' in form


def test_a_new_ambassador_sees_first_steps_until_every_one_is_done(
    client_for, enrolled, item
) -> None:
    client = client_for(enrolled)
    home = client.get("/me/home/").content.decode()
    steps = home[
        home.index('class="card first-steps"') : home.index("</section>", home.index("first-steps"))
    ]
    assert re.findall(r'<li class="(step-\w+)"', steps) == [
        "step-done",
        "step-open",
        "step-open",
        "step-open",
    ]
    for text in (
        "Accept the charter",
        "Connect a network",
        "Check your profile",
        "Share a first item",
    ):
        assert text in steps
    assert "First steps: 1 of 4 done" in client.get("/feed/").content.decode()

    account = SocialAccount.objects.create(
        organisation=enrolled.organisation,
        person=enrolled,
        network="fakenet",
        remote_id="1",
        handle="@a",
    )
    client.post("/me/", {"language": "", "time_zone": "Europe/Paris"})
    share = Share.objects.create(
        organisation=item.organisation, person=enrolled, item=item, message="À lire"
    )
    ShareTarget.objects.create(
        share=share,
        organisation=item.organisation,
        account=account,
        network="bluesky",
        status=TargetStatus.PUBLISHED,
    )
    assert "first-steps" not in client.get("/me/home/").content.decode()
    assert "First steps:" not in client.get("/feed/").content.decode()


def test_the_feed_lists_what_can_be_shared_first_and_says_why_each_card_is_there(
    persona, client_for, enrolled, program
) -> None:
    other = Program.objects.create(organisation=persona.organisation, name="Social selling")
    supporter = AmbassadorType.objects.get(organisation=persona.organisation, kind="supporter")
    Enrolment.objects.create(
        program=other, person=enrolled, ambassador_type=supporter, status=Enrolment.Status.PAUSED
    )
    featured_elsewhere = make_item(persona, other, "À la une ailleurs", featured=True)
    internal = make_item(persona, program, "Nouvelles internes", kind=Kind.INTERNAL_NEWS)
    old_shareable = make_item(persona, program, "Ancien article", days_ago=20)
    new_shareable = make_item(persona, program, "Article récent", days_ago=1)
    shared_item = make_item(persona, program, "Déjà partagé", days_ago=3)
    share = Share.objects.create(
        organisation=persona.organisation, person=enrolled, item=shared_item, message="Oui"
    )
    for network in ("bluesky", "linkedin"):
        ShareTarget.objects.create(
            share=share,
            organisation=persona.organisation,
            network=network,
            status=TargetStatus.PUBLISHED,
        )

    page = client_for(enrolled).get("/feed/").content.decode()
    # Shareable (newest first), then the rest (featured first) however new they are.
    assert card_ids(page) == [
        new_shareable.pk,
        shared_item.pk,
        old_shareable.pk,
        featured_elsewhere.pk,
        internal.pk,
    ]
    assert page.count(">Share</a>") == 3
    assert "Featured by the communication team · new this week · For everyone, in French" in card(
        page, featured_elsewhere
    )
    assert "For everyone, in French" in card(page, old_shareable)
    assert "new this week" not in card(page, old_shareable)
    assert "once you accept the new charter of “Social selling”" in card(page, featured_elsewhere)
    assert "Internal news: to read, not to share outside." in card(page, internal)
    assert "Already shared on Bluesky, LinkedIn" in card(page, shared_item)
    # Within a few tab stops: the first link of the first card is its title, then "Share".
    main = page[page.index("<main") :]
    before_first_share = main[: main.index(">Share</a>")]
    # A closed <details> (the search form) holds one tab stop: its summary.
    before_first_share = re.sub(
        r"(<summary>.*?</summary>).*?</details>", r"\1", before_first_share, flags=re.S
    )
    stops = re.findall(r"<(a|button|input|select|summary)\b", before_first_share)
    # The charter banner, the first steps, the search, the card's title.
    assert len(stops) <= 4, stops


def test_my_figures_shows_four_key_figures_a_phone_sized_trend_and_the_rest_behind_more(
    client_for, enrolled
) -> None:
    page = client_for(enrolled).get("/me/figures/?days=90").content.decode()
    more = page.index('<details class="more">')
    key = page[page.index('<div class="tiles-key">') : more]
    labels = re.findall(r'<h2 class="tile-label">([^<]+)</h2>', key)
    assert labels == ["Shares", "Human clicks", "Unique visitors", "Engagement"]
    assert 'viewBox="0 0 300 200"' in key  # the trend drawn at the width a phone shows it
    rest = page[more:]
    assert "Potential reach" in rest and "Conversions" in rest
    assert "Compared with the program median" in rest
