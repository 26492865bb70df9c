"""The month's highlights: the most clicked personal posts of the people who chose to
appear by name, as a page, a CSV and in the API; copies, posts of people who did not opt
in and other months never appear; a bad month is a clear error."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ambassade.recognition.models import (
    Badge,
    BadgeAward,
    Challenge,
    ChallengeCompletion,
    Criterion,
    Profile,
)
from ambassade.sharing.models import Share, ShareTarget, TargetStatus
from ambassade.tracking.models import DailyLinkStats, TrackedLink

pytestmark = pytest.mark.django_db
NOVEMBER = datetime(2026, 11, 12, 9, 30, tzinfo=UTC)


def _post(person, item, message, *, similarity, clicks, at=NOVEMBER, code="") -> ShareTarget:
    share = Share.objects.create(
        organisation=person.organisation,
        person=person,
        item=item,
        message=message,
        similarity=similarity,
    )
    Share.objects.filter(pk=share.pk).update(created_at=at)
    link = TrackedLink.objects.create(
        organisation=person.organisation,
        code=code or f"h{share.pk:07d}",
        destination=item.url,
        person=person,
        network="linkedin",
        content_item_id=item.pk,
    )
    target = ShareTarget.objects.create(
        share=share,
        organisation=person.organisation,
        network="linkedin",
        status=TargetStatus.PUBLISHED,
        published_at=at,
        remote_url=f"https://www.linkedin.example/posts/{share.pk}",
        tracked_link=link,
    )
    # Human clicks over several days; the other counters (bots, previews, self-clicks,
    # floods) are never human clicks.
    for offset, human in enumerate((clicks // 2, clicks - clicks // 2)):
        DailyLinkStats.objects.create(
            link=link,
            day=date(at.year, at.month, min(at.day + offset, 28)),
            human_clicks=human,
            bots=50,
            self_clicks=9,
            previews=7,
            floods=30,
        )
    return target


@pytest.fixture
def month(persona, item):
    chosen = persona.ambassador
    Profile.objects.create(person=chosen, on_boards=True)
    _post(chosen, item, "Dans mes mots : nous recrutons à Lyon !", similarity=30, clicks=12)
    _post(chosen, item, item.messages.get().text, similarity=100, clicks=400)  # a copy
    _post(persona.marketer, item, "Mon équipe recrute, écrivez-moi.", similarity=20, clicks=90)
    october = datetime(2026, 10, 20, tzinfo=UTC)
    _post(chosen, item, "En octobre déjà…", similarity=10, clicks=70, at=october)
    voice = Badge.objects.create(
        organisation=persona.organisation,
        name="Première voix",
        criterion=Criterion.FIRST_PERSONAL_SHARE,
    )
    BadgeAward.objects.create(badge=voice, person=chosen, awarded_at=NOVEMBER)
    BadgeAward.objects.create(badge=voice, person=persona.marketer, awarded_at=NOVEMBER)
    fair = Challenge.objects.create(
        program=item.program,
        name="Cent clics pour le salon",
        target=100,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 20),
        completed_at=NOVEMBER,
    )
    for person in (chosen, persona.marketer):
        ChallengeCompletion.objects.create(challenge=fair, person=person)
    return "2026-11"


def test_the_page_lists_only_personal_posts_of_people_who_chose_to_appear(
    persona, client_for, month
) -> None:
    page = client_for(persona.comms).get(f"/console/recognition/highlights/?month={month}")
    assert page.status_code == 200
    html = page.content.decode()
    assert persona.ambassador.full_name in html
    assert "Dans mes mots" in html
    assert "12 human clicks" in html
    assert persona.marketer.full_name not in html  # did not opt in
    assert "rejoignez une équipe formidable" not in html  # the copy
    assert "En octobre" not in html  # another month
    # Badges: only of those who chose to appear by name; challenges: no names at all.
    assert "Première voix" in html and html.count("Première voix") == 1
    assert "Cent clics pour le salon" in html and "2 people rewarded" in html


def test_the_csv_and_the_api_say_the_same(persona, client_for, month) -> None:
    client = client_for(persona.comms)
    sheet = client.get(f"/console/recognition/highlights.csv?month={month}")
    assert sheet.status_code == 200
    rows = sheet.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and persona.ambassador.full_name in rows[1] and ",12," in rows[1]
    found = client.get(f"/api/v1/recognition/highlights?month={month}").json()
    assert found["month"] == month
    assert [(post["person"], post["human_clicks"]) for post in found["posts"]] == [
        (persona.ambassador.full_name, 12)
    ]
    assert [(award["person"], award["badge"]) for award in found["badges"]] == [
        (persona.ambassador.full_name, "Première voix")
    ]
    assert [(c["name"], c["people_rewarded"]) for c in found["challenges"]] == [
        ("Cent clics pour le salon", 2)
    ]


@pytest.mark.parametrize("bad", ["2026-13", "novembre", "26-11", "1999-01"])
def test_a_bad_month_is_a_clear_error(persona, client_for, bad) -> None:
    client = client_for(persona.comms)
    page = client.get(f"/console/recognition/highlights/?month={bad}")
    assert page.status_code == 400
    assert "Give the month as YYYY-MM" in page.content.decode()
    answer = client.get(f"/api/v1/recognition/highlights?month={bad}")
    assert answer.status_code == 422
    assert "Give the month as YYYY-MM" in answer.content.decode()


def test_an_ambassador_reads_no_highlights(persona, client_for, month) -> None:
    client = client_for(persona.ambassador)
    assert client.get("/console/recognition/highlights/").status_code == 403
    assert client.get("/api/v1/recognition/highlights").status_code == 403
