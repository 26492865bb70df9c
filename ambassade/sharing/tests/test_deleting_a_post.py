"""An author deletes their published post from the network, from "My posts" or the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ambassade.core.models import AuditEvent
from ambassade.sharing import actions, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import SocialAccount, TargetStatus
from ambassade.sharing.networks.base import NeedsReconnection, RateLimited, Transient
from ambassade.sharing.tests.conftest import PERSONAL, as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(enrolled, item, account, no_quiet_hours):
    share = actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)], when="now"
    )
    target = share.targets.get()
    assert publishing.publish(target.pk) == "published"
    target.refresh_from_db()
    return target


def test_the_author_confirms_then_the_post_and_its_link_are_gone(
    enrolled, published, fake, client_for
) -> None:
    client = client_for(enrolled)
    posts = client.get("/me/posts/").content.decode()
    assert f"/me/posts/{published.pk}/delete" in posts
    confirm = client.get(f"/me/posts/{published.pk}/delete").content.decode()
    assert "This cannot be undone" in confirm and 'name="withdraw_link"' in confirm
    assert fake.deleted == []  # asking is not deleting

    response = client.post(f"/me/posts/{published.pk}/delete", {"withdraw_link": "on"})
    assert response.status_code == 302
    published.refresh_from_db()
    published.tracked_link.refresh_from_db()
    assert published.status == TargetStatus.DELETED and published.deleted_at is not None
    assert fake.deleted == [published.remote_id]
    assert published.tracked_link.withdrawn_at is not None
    row = AuditEvent.objects.get(action="sharing.post_deleted")
    assert row.after["already_gone"] is False and row.after["link_withdrawn"] is True
    assert AuditEvent.objects.filter(action="link.withdrawn").count() == 1
    page = client.get("/me/posts/").content.decode()
    assert "The post is deleted from Fake network." in page
    assert "Deleted from the network" in page
    assert f"/me/posts/{published.pk}/delete" not in page

    # Deleting twice: a clear message, nothing else happens.
    client.post(f"/me/posts/{published.pk}/delete")
    assert "already deleted from the network" in client.get("/me/posts/").content.decode()
    assert fake.calls.count("delete") == 1


def test_a_post_the_network_no_longer_has_is_already_gone(
    enrolled, published, fake, client_for
) -> None:
    fake.deleted.append(published.remote_id)  # deleted on the network itself
    answer = client_for(enrolled).post(
        f"/api/v1/sharing/posts/{published.pk}/withdraw",
        {"withdraw_link": False},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["already_gone"] is True and body["link_withdrawn"] is False
    assert body["post"]["status"] == "deleted" and body["post"]["deleted_at"]
    published.tracked_link.refresh_from_db()
    assert published.tracked_link.withdrawn_at is None


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (RateLimited("Wait a minute.", until=timezone.now()), "rate_limited"),
        (Transient("The network is down."), "transient"),
    ],
)
def test_a_refusal_changes_nothing_and_says_why(
    enrolled, published, fake, client_for, failure, kind
) -> None:
    fake.delete_script.append(failure)
    answer = client_for(enrolled).post(
        f"/api/v1/sharing/posts/{published.pk}/withdraw", {}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == kind
    assert answer.json()["error"]["message"] == failure.message
    published.refresh_from_db()
    assert published.status == TargetStatus.PUBLISHED
    assert published.tracked_link.withdrawn_at is None
    assert AuditEvent.objects.get(action="sharing.post_deletion_failed").after["kind"] == kind


def test_a_401_refreshes_the_credentials_and_deletes(enrolled, published, fake) -> None:
    fake.delete_script.append(NeedsReconnection("Token expired."))
    done = actions.delete_from_network(as_actor(enrolled), published)
    assert fake.calls[-3:] == ["delete", "refresh", "delete"]
    assert done.target.status == TargetStatus.DELETED and not done.already_gone


def test_only_a_published_post_of_ones_own_can_be_deleted(
    persona, enrolled, account, published, fake, client_for
) -> None:
    # Another person's post: not found, and the action refuses even when called directly.
    other = client_for(persona.admin)
    assert other.get(f"/me/posts/{published.pk}/delete").status_code == 404
    assert other.post(f"/me/posts/{published.pk}/delete").status_code == 404
    withdraw = f"/api/v1/sharing/posts/{published.pk}/withdraw"
    assert other.post(withdraw, {}, content_type="application/json").status_code == 404
    assert client_for(persona.outsider).post(f"/me/posts/{published.pk}/delete").status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.delete_from_network(as_actor(persona.admin), published)

    # A post that is not published (waiting for its time): refused with the reason.
    published.status = TargetStatus.SCHEDULED
    published.save(update_fields=["status"])
    answer = client_for(enrolled).post(withdraw, {}, content_type="application/json")
    assert answer.status_code == 422
    assert "Only a published post" in answer.json()["error"]["message"]

    # The account is no longer connected: said plainly, nothing called.
    published.status = TargetStatus.PUBLISHED
    published.save(update_fields=["status"])
    SocialAccount.objects.filter(pk=account.pk).update(status="disconnected")
    answer = client_for(enrolled).post(withdraw, {}, content_type="application/json")
    assert answer.status_code == 422 and "not connected any more" in answer.content.decode()
    assert "delete" not in fake.calls
