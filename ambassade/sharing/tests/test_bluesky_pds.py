"""Bluesky end to end against a real local PDS: connect, share through the worker, read back."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from ambassade.sharing import publishing
from ambassade.sharing.models import PublishAttempt, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.bluesky import POST_COLLECTION, record_key
from ambassade.sharing.tests.conftest import SECRET  # noqa: F401 (fixtures' module)
from ambassade.sharing.tests.pds import post_of, posts_on

# The worker runs as in production (it closes its connection): committed data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def local_pds(settings, no_quiet_hours, bluesky_pds) -> None:
    """The operator allows the local PDS, by address and by name, on its port."""
    port = bluesky_pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]


def test_connect_share_publish_read_back_and_never_twice(
    bluesky_pds,
    local_pds,
    enrolled,
    item,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    pds = bluesky_pds
    earlier = len(posts_on(pds))  # the PDS lives for the session: other tests post too
    client = client_for(enrolled)
    # Connect with the app password, through the page.
    response = client.post(
        "/me/accounts/bluesky/password",
        {"handle": pds["handle"], "app_password": pds["app_password"], "pds_url": pds["pds_url"]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = SocialAccount.objects.get(person=enrolled, network="bluesky")
    assert account.remote_id == pds["did"] and account.handle == "@alice.test"
    assert pds["app_password"] not in account.secrets  # encrypted at rest

    # Personalise the suggestion and share now, through the composer.
    message = "Mon équipe à Lyon recrute 🚀 : vingt postes d'ingénieurs, venez nous voir !"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/share/{item.pk}/", {"message": message, "accounts": [account.pk], "when": "now"}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    target = ShareTarget.objects.get(account=account)
    assert target.status == TargetStatus.QUEUED

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason
    rkey = record_key(str(target.idempotency_key))
    assert target.remote_id == f"at://{pds['did']}/{POST_COLLECTION}/{rkey}"
    assert target.remote_url.endswith(f"/post/{rkey}")

    records = posts_on(pds)
    assert len(records) == earlier + 1
    record = post_of(pds, target.remote_id)
    link = publishing.short_url(target.tracked_link)
    assert record["text"] == f"{message}\n\n{link}"
    facet = record["facets"][0]
    raw = record["text"].encode("utf-8")
    assert raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]] == link.encode()
    assert facet["features"][0]["uri"] == link
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    assert record["embed"]["external"]["uri"] == link
    assert record["embed"]["external"]["title"] == item.title

    # A retry after a simulated uncertain outcome finds the post instead of posting again.
    ShareTarget.objects.filter(pk=target.pk).update(status=TargetStatus.QUEUED)
    PublishAttempt.objects.create(target=target, number=target.tries + 5)  # no outcome
    assert publishing.publish(target.pk) == "published"
    assert target.attempts.order_by("-pk").first().outcome == "found"
    # And even a blind second createRecord with the same key cannot duplicate it.
    network = publishing.network_for(target.organisation, "bluesky")
    account.refresh_from_db()
    with pytest.raises(publishing.Transient):
        network.publish(account.credentials, publishing._post(target))
    assert len(posts_on(pds)) == earlier + 1
    # No secret in what the API returns about the account.
    body = client.get("/api/v1/sharing/accounts").content.decode()
    assert pds["app_password"] not in body and "Jwt" not in body
    assert json.loads(body)[0]["healthy"] is True
