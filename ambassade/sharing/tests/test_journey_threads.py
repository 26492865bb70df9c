"""A person connects Threads through the account pages, then shares an item: the normal
share action and the publishing task post it through recorded exchanges of Meta's API."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade.sharing import actions, crypto, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import NetworkApp, SharingSettings, SocialAccount
from ambassade.sharing.networks import threads as threads_module
from ambassade.sharing.tests.conftest import PERSONAL, as_actor
from ambassade.sharing.tests.networks.fake_api import fake_api
from ambassade.sharing.tests.networks.test_threads import (
    APP,
    CREATION_ID,
    LONG,
    MEDIA_ID,
    USER_ID,
    serve,
)
from ambassade.tracking.actions import short_url

pytestmark = pytest.mark.django_db


def test_a_threads_connection_publishes_through_recorded_exchanges(
    enrolled, item, client_for, monkeypatch
) -> None:
    SharingSettings.objects.update_or_create(
        organisation=enrolled.organisation,
        defaults={"quiet_start": None, "quiet_end": None, "stagger_minutes": 0},
    )
    NetworkApp.objects.create(
        organisation=enrolled.organisation,
        network="threads",
        client_id=APP["client_id"],
        client_secret=crypto.encrypt({"client_secret": APP["client_secret"]}),
    )
    client = client_for(enrolled)
    with fake_api() as meta:
        monkeypatch.setattr(threads_module, "API_BASE", meta.url)
        monkeypatch.setattr(threads_module, "AUTHORIZE_URL", f"{meta.url}/oauth/authorize")
        for name in ("code", "long_lived", "me", "container", "publish", "permalink"):
            serve(meta, name)

        # Connect: Ambassade sends the person to Threads, Threads sends them back.
        started = client.post("/me/accounts/threads/connect")
        assert started.status_code == 302
        authorize = urlsplit(started["Location"])
        assert f"{authorize.scheme}://{authorize.netloc}" == meta.url
        query = {key: values[0] for key, values in parse_qs(authorize.query).items()}
        assert query["scope"] == "threads_basic,threads_content_publish"
        assert query["client_id"] == APP["client_id"]
        back = client.get(f"/me/accounts/threads/callback?state={query['state']}&code=AQBx-code")
        assert back.status_code == 302
        account = SocialAccount.objects.get(person=enrolled, network="threads")
        assert account.status == SocialAccount.Status.CONNECTED
        assert (account.remote_id, account.handle) == (USER_ID, "@alice.verdier")
        assert account.credentials.secrets == {"access_token": LONG, "user_id": USER_ID}
        exchange = meta.only("POST", "/oauth/access_token").form()
        assert exchange["redirect_uri"] == query["redirect_uri"]
        assert meta.only("GET", "/access_token").params()["grant_type"] == "th_exchange_token"

        # Share: the normal action, then the publishing task.
        share = actions.create_share(
            as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)]
        )
        target = share.targets.get()
        assert publishing.publish(target.pk) == "published"

        container = meta.only("POST", f"/v1.0/{USER_ID}/threads").form()
        target.refresh_from_db()
        tracked = short_url(target.tracked_link)
        assert container["media_type"] == "TEXT"
        assert container["text"].startswith(PERSONAL)
        assert container["link_attachment"] == tracked
        assert tracked in container["text"]
        assert meta.only("POST", f"/v1.0/{USER_ID}/threads_publish").form() == {
            "creation_id": CREATION_ID,
            "access_token": LONG,
        }
        assert target.remote_id == MEDIA_ID
        assert target.remote_url == "https://www.threads.net/@alice.verdier/post/DAbc"
