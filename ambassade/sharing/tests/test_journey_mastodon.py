"""The issue's second journey, through the API: an ambassador schedules a Mastodon post
and a Facebook share link; the Facebook link is there at once, and when the time comes
the worker posts on the (local, fake) Mastodon instance, once, with its tracked link.
"""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.conftest import PERSONAL, later
from ambassade.sharing.tests.networks.fake_api import Reply, fake_api

STATUS = {
    "id": "109",
    "uri": "https://127.0.0.1/users/alice/statuses/109",
    "url": "https://mastodon.example/@alice/109",
    "created_at": "2026-11-22T10:00:00.000Z",
    "content": "<p>ok</p>",
    "visibility": "public",
    "favourites_count": 0,
    "reblogs_count": 0,
    "replies_count": 0,
}


def test_a_scheduled_mastodon_post_and_a_facebook_link(
    enrolled, item, no_quiet_hours, client_for, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with fake_api() as mastodon:
        mastodon.on("POST", "/api/v1/statuses", Reply(200, STATUS))
        account = SocialAccount(
            organisation=enrolled.organisation,
            person=enrolled,
            network="mastodon",
            remote_id="1",
            handle="@alice@127.0.0.1",
        )
        account.store(
            Credentials(secrets={"access_token": "tok", "instance": mastodon.url, "client_id": "c"})
        )
        account.save()
        token = (
            client_for(enrolled)
            .post(
                "/api/v1/tokens",
                {"name": "phone", "scopes": ["sharing:write", "sharing:read"]},
                content_type="application/json",
            )
            .json()["secret"]
        )
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        created = api.post(
            "/api/v1/sharing/shares",
            {
                "item_id": item.pk,
                "message": PERSONAL,
                "targets": [{"account_id": account.pk}, {"network": "facebook"}],
                "when": "schedule",
                "at": later(2).isoformat(),
            },
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        by_network = {target["network"]: target for target in created.json()["targets"]}
        assert by_network["mastodon"]["status"] == "scheduled"
        assert by_network["facebook"]["status"] == "declared"
        assert by_network["facebook"]["tracked_link"] != by_network["mastodon"]["tracked_link"]
        assert mastodon.requests == []  # nothing before its time

        # Two hours later: the scheduler's per-minute job releases it and a worker posts it.
        target = ShareTarget.objects.get(pk=by_network["mastodon"]["id"])
        ShareTarget.objects.filter(pk=target.pk).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )
        publishing.release_due()
        publishing.release_due()  # a second scheduler tick must not post again

        sent = mastodon.only("POST", "/api/v1/statuses")
        assert sent.header("Idempotency-Key") == str(target.idempotency_key)
        assert PERSONAL in sent.json()["status"]
        assert by_network["mastodon"]["tracked_link"] in sent.json()["status"]

        posts = {post["network"]: post for post in api.get("/api/v1/sharing/posts").json()["items"]}
        assert posts["mastodon"]["status"] == "published"
        assert posts["mastodon"]["remote_url"] == "https://mastodon.example/@alice/109"
