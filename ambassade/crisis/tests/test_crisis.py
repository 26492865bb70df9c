"""Internal communications starts a crisis: posts are held but for the spokespeople's, the
posts are cancelled, resumed or returned to their authors as chosen, and the crisis ends
at its date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.crisis import actions
from ambassade.crisis.models import Crisis, Step
from ambassade.notifications.models import Notification
from ambassade.sharing import publishing
from ambassade.sharing.models import PublishingPause, ShareTarget, TargetStatus
from ambassade.sharing.tests.conftest import PERSONAL, later

from .conftest import in_days

pytestmark = pytest.mark.django_db
JSON = "application/json"
SPOKEN = (
    "Point de situation : l'incendie est maîtrisé, nos équipes sont en sécurité "
    "et l'usine rouvre lundi."
)


def share(
    client: Any, item: Any, account: Any, *, when: str = "schedule", message: str = PERSONAL
) -> Any:
    body = {"item_id": item.pk, "message": message, "targets": [{"account_id": account.pk}]}
    if when == "schedule":
        body.update(when="schedule", at=later(2).isoformat())
    response = client.post("/api/v1/sharing/shares", body, content_type=JSON)
    return response


def start(client: Any, **fields: Any) -> Any:
    body = {
        "name": "Incendie à l'usine de Lyon",
        "description": "Un incendie a touché l'usine cette nuit. Personne n'est blessé.",
        "ends_at": in_days(2),
        **fields,
    }
    return client.post("/api/v1/crisis", body, content_type=JSON)


def kinds_of(crisis_id: int) -> list[str]:
    return list(Step.objects.filter(crisis_id=crisis_id).values_list("kind", flat=True))


def test_a_crisis_holds_the_ambassadors_posts_while_the_spokesperson_still_shares(
    persona, client_for, enrolled, item, account, spokesperson, no_quiet_hours, fake, committed
) -> None:
    no_quiet_hours.stagger_minutes = 0  # the held post's slot does not delay the spokesperson
    no_quiet_hours.save()
    ambassador, comms = client_for(enrolled), client_for(persona.comms)
    assert share(ambassador, item, account).status_code == 201
    with committed():
        started = start(comms, exempt=[spokesperson.pk])
    assert started.status_code == 201, started.json()
    assert started.json()["exempt"] == [spokesperson.pk]

    held = ShareTarget.objects.get(account=account)
    assert held.status == TargetStatus.PAUSED  # held, not lost
    ShareTarget.objects.filter(pk=held.pk).update(scheduled_at=timezone.now())
    publishing.release_due()
    # A post queued as the crisis began is held when claimed, not failed.
    ShareTarget.objects.filter(pk=held.pk).update(status=TargetStatus.QUEUED)
    assert publishing.publish(held.pk) == "paused"
    assert fake.posted == []

    refused = share(ambassador, item, account, when="now")
    assert refused.status_code == 422
    assert "Incendie à l'usine de Lyon" in refused.json()["error"]["message"]
    page = ambassador.get("/me/posts/").content.decode()
    assert "Held: it will not be published while publishing is paused." in page
    assert "Crisis: Incendie à l&#x27;usine de Lyon" in page

    spokesperson_account = spokesperson.social_accounts.get()
    with committed():
        spoken = share(
            client_for(spokesperson), item, spokesperson_account, when="now", message=SPOKEN
        )
    assert spoken.status_code == 201, spoken.json()
    assert ShareTarget.objects.get(account=spokesperson_account).status == TargetStatus.PUBLISHED
    assert len(fake.posted) == 1

    told = Notification.objects.filter(kind="crisis", title__contains="Incendie")
    assert set(told.values_list("person_id", flat=True)) >= {enrolled.pk, persona.comms.pk}
    crisis_id = started.json()["id"]
    assert Step.objects.get(crisis_id=crisis_id, kind="posts_held").count == 1
    assert Step.objects.get(crisis_id=crisis_id, kind="start_notices_sent").count == told.count()


def test_the_scheduled_posts_are_cancelled_at_the_start_when_so_chosen(
    persona, client_for, enrolled, item, account, no_quiet_hours, committed
) -> None:
    share(client_for(enrolled), item, account)
    with committed():
        started = start(client_for(persona.comms), at_start="cancel")
    target = ShareTarget.objects.get(account=account)
    assert target.status == TargetStatus.CANCELLED
    assert "Incendie" in target.failure_reason
    notice = Notification.objects.get(person=enrolled, kind="crisis_posts")
    assert "Nous recrutons à Lyon" in notice.body
    assert Step.objects.get(crisis_id=started.json()["id"], kind="posts_cancelled").count == 1


def test_the_held_posts_resume_when_the_crisis_is_ended_by_hand(
    persona, client_for, enrolled, item, account, no_quiet_hours, committed
) -> None:
    share(client_for(enrolled), item, account)
    comms = client_for(persona.comms)
    crisis_id = start(comms).json()["id"]
    with committed():
        ended = comms.post(f"/api/v1/crisis/{crisis_id}/end")
    assert ended.status_code == 200
    assert ended.json()["running"] is False
    assert ShareTarget.objects.get(account=account).status == TargetStatus.SCHEDULED
    assert not PublishingPause.objects.get(organisation=persona.organisation).paused
    assert Step.objects.get(crisis_id=crisis_id, kind="posts_resumed").count == 1
    # Only the end was committed in this test: one notice, of the end, in their language.
    assert Notification.objects.filter(person=enrolled, kind="crisis").count() == 1
    assert (Step.objects.get(crisis_id=crisis_id, kind="end_notices_sent").count or 0) >= 1
    again = comms.post(f"/api/v1/crisis/{crisis_id}/end")
    assert again.status_code == 422
    assert again.json()["error"]["message"] == "This crisis has already ended."


def test_at_its_date_the_crisis_ends_and_the_posts_go_back_to_their_authors(
    persona, client_for, enrolled, item, account, no_quiet_hours, fake, committed
) -> None:
    ambassador = client_for(enrolled)
    share(ambassador, item, account)
    crisis_id = start(client_for(persona.comms), at_end="return").json()["id"]
    assert actions.end_due() == 0  # not yet

    with committed():
        assert actions.end_due(timezone.now() + timedelta(days=3)) == 1
    target = ShareTarget.objects.get(account=account)
    assert target.status == TargetStatus.RETURNED
    assert Crisis.objects.get(pk=crisis_id).ended_by_label == "system"
    assert kinds_of(crisis_id)[-3:] == ["ended_at_date", "posts_returned", "end_notices_sent"]
    notice = Notification.objects.get(person=enrolled, kind="crisis_posts")
    assert notice.url == "/me/posts/"
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    assert publishing.publish(target.pk) == "skipped"  # nothing publishes it by itself

    moved = ambassador.post(
        f"/api/v1/sharing/posts/{target.pk}/reschedule",
        {"when": "schedule", "at": later(5).isoformat()},
        content_type=JSON,
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == "scheduled"
    twice = ambassador.post(f"/api/v1/sharing/posts/{target.pk}/reschedule", {}, content_type=JSON)
    assert twice.status_code == 422
