"""Who may open which sharing page, tenancy (another person's or organisation's: 404), API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.sharing import actions
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.sharing.tests.conftest import PERSONAL, as_actor
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_composer_is_for_enrolled_people_only(persona, enrolled, item, client_for) -> None:
    assert client_for(enrolled).get(f"/share/{item.pk}/").status_code == 200
    assert client_for(persona.employee).get(f"/share/{item.pk}/").status_code == 404
    assert client_for(persona.outsider).get(f"/share/{item.pk}/").status_code == 404
    preview = f"/share/{item.pk}/preview"
    assert client_for(enrolled).post(preview, {"message": "Mon avis"}).status_code == 200
    assert client_for(persona.employee).post(preview, {"message": "x"}).status_code == 404
    assert client_for(persona.outsider).post(preview, {"message": "x"}).status_code == 404


def test_the_composer_starts_from_a_suggestion_and_shows_the_rules(
    enrolled, item, account, client_for
) -> None:
    suggestion = item.messages.get()
    page = client_for(enrolled).get(f"/share/{item.pk}/?from={suggestion.pk}").content.decode()
    assert "Verdier recrute vingt" in page
    assert "data-nudge" in page  # a suggestion as it is: nudged before posting
    assert "Quiet hours" in page and "posts today" in page
    assert "@alice@fake" in page


def test_another_persons_account_and_post_are_404(
    persona, enrolled, item, account, client_for, no_quiet_hours
) -> None:
    share = actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)], when="now"
    )
    target = share.targets.get()
    other = client_for(persona.admin)
    assert other.post(f"/me/posts/{target.pk}/cancel").status_code == 404
    assert other.post(f"/me/posts/{target.pk}/verify", {"online": "yes"}).status_code == 404
    assert other.post(f"/me/accounts/{account.pk}/disconnect").status_code == 404
    assert other.post(f"/api/v1/sharing/posts/{target.pk}/cancel").status_code == 404
    verify = f"/api/v1/sharing/posts/{target.pk}/verify"
    assert other.post(verify, {"online": True}, content_type="application/json").status_code == 404
    assert other.delete(f"/api/v1/sharing/accounts/{account.pk}").status_code == 404
    outsider = client_for(persona.outsider)
    assert outsider.post(f"/me/posts/{target.pk}/cancel").status_code == 404
    assert outsider.post(f"/me/posts/{target.pk}/verify", {"online": "no"}).status_code == 404
    # Sharing with someone else's account is refused.
    colleague = PersonFactory(organisation=persona.organisation, with_user=True)
    from ambassade.sharing.tests.conftest import as_actor as actor_of

    with pytest.raises(Exception, match=r"not one of yours|not enrolled"):
        actions.create_share(
            actor_of(colleague), item, PERSONAL, [TargetRequest(account_id=account.pk)]
        )


def test_cancel_from_my_posts(enrolled, item, account, client_for, no_quiet_hours) -> None:
    from datetime import UTC, datetime, timedelta

    share = actions.create_share(
        as_actor(enrolled),
        item,
        PERSONAL,
        [TargetRequest(account_id=account.pk)],
        when="schedule",
        at=datetime.now(UTC) + timedelta(hours=2),
    )
    target = share.targets.get()
    assert client_for(enrolled).post(f"/me/posts/{target.pk}/cancel").status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.CANCELLED


def test_my_posts_costs_the_same_queries_for_one_or_many(
    enrolled, item, account, client_for, no_quiet_hours
) -> None:
    client = client_for(enrolled)

    def share(n: int) -> None:
        actions.create_share(
            as_actor(enrolled),
            item,
            f"{PERSONAL} {n} " + "x" * n,
            [TargetRequest(account_id=account.pk)],
            accept_similar=True,
        )

    from ambassade.sharing.models import SharingSettings

    SharingSettings.objects.filter(organisation=enrolled.organisation).update(
        daily_cap=100, stagger_minutes=0
    )
    share(1)
    client.get("/me/posts/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/me/posts/").status_code == 200
    for n in range(2, 7):
        share(n)
    ShareTarget.objects.filter(share__person=enrolled).first()
    with CaptureQueriesContext(connection) as many:
        client.get("/me/posts/")
    assert len(many) == len(one)


def test_api_share_list_cancel_pause_settings(
    persona, enrolled, item, account, client_for, no_quiet_hours
) -> None:
    client = client_for(enrolled)
    created = client.post(
        "/api/v1/sharing/shares",
        {
            "item_id": item.pk,
            "message": item.messages.get().text,
            "targets": [{"account_id": account.pk}],
        },
        content_type="application/json",
    )
    assert created.status_code == 422 and created.json()["error"]["code"] == "too_similar"
    created = client.post(
        "/api/v1/sharing/shares",
        {
            "item_id": item.pk,
            "message": PERSONAL,
            "targets": [{"account_id": account.pk}],
            "when": "schedule",
            "at": "2099-01-05T10:00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    target = created.json()["targets"][0]
    assert target["status"] == "scheduled" and target["tracked_link"].startswith("http")
    listed = client.get("/api/v1/sharing/posts").json()
    assert listed["count"] == 1
    cancelled = client.post(f"/api/v1/sharing/posts/{target['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    admin = client_for(persona.admin)
    paused = admin.put(
        "/api/v1/sharing/pause",
        {"paused": True, "reason": "Crise"},
        content_type="application/json",
    )
    assert paused.json()["paused"] is True
    assert (
        client.put(
            "/api/v1/sharing/pause", {"paused": False}, content_type="application/json"
        ).status_code
        == 403
    )
    changed = admin.patch(
        "/api/v1/sharing/settings", {"similarity_mode": "block"}, content_type="application/json"
    )
    assert changed.json()["similarity_mode"] == "block"
    assert (
        client_for(persona.marketer)
        .patch("/api/v1/sharing/settings", {"daily_cap": 5}, content_type="application/json")
        .status_code
        == 403
    )


def test_console_pause_page(persona, client_for) -> None:
    admin = client_for(persona.comms)
    assert (
        admin.post("/console/sharing/pause", {"paused": "1", "reason": "Crise"}).status_code == 302
    )
    assert "Resume publishing" in admin.get("/console/sharing/").content.decode()
    assert (
        client_for(persona.ambassador).post("/console/sharing/pause", {"paused": "0"}).status_code
        == 403
    )


def test_settings_page_saves_rules_and_apps(persona, client_for, fake) -> None:
    admin = client_for(persona.admin)
    response = admin.post(
        "/console/sharing/settings/",
        {
            "save_settings": "1",
            "similarity_threshold": 80,
            "similarity_mode": "nudge",
            "stagger_minutes": 5,
            "daily_cap": 2,
            "quiet_start": "",
            "quiet_end": "",
        },
    )
    assert response.status_code == 302
    from ambassade.sharing.selectors import settings_of

    assert settings_of(persona.organisation).daily_cap == 2
