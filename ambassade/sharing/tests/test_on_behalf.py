"""Every call on a person's behalf refreshes when needed, once, under the account's lock:
the daily jobs never knock out an idle account, two workers never spend one X refresh
token twice. Through the real X module, against a local X that expires and rotates."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ambassade.sharing import actions, calls, measures, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.registry import network_for
from ambassade.sharing.tests.conftest import PERSONAL, as_actor
from ambassade.sharing.tests.fake_x import local_x, route_tweet


@pytest.fixture
def x(monkeypatch, settings, persona):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with local_x(monkeypatch, settings, persona.organisation) as served:
        yield served


@pytest.mark.django_db
def test_the_daily_audience_job_refreshes_an_idle_x_account(x, enrolled) -> None:
    account = x.account(enrolled)  # idle for more than two hours: its access token expired
    assert measures.refresh_audiences() == 1
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED
    assert account.audience == 5120
    assert account.credentials.secrets["access_token"] == "acc-1"
    assert account.credentials.secrets["refresh_token"] == "ref-1"  # stored at once
    assert account.expires_at > timezone.now() + timedelta(hours=1)
    assert x.refreshes == 1


@pytest.mark.django_db
def test_a_401_with_an_unknown_expiry_is_refreshed_and_answered_once(x, enrolled) -> None:
    account = x.account(enrolled)
    SocialAccount.objects.filter(pk=account.pk).update(expires_at=None)  # expiry not known
    assert measures.refresh_audiences() == 1
    account.refresh_from_db()
    assert (account.status, account.audience) == (SocialAccount.Status.CONNECTED, 5120)
    assert [r.path for r in x.api.requests] == ["/2/users/me", "/2/oauth2/token", "/2/users/me"]


@pytest.mark.django_db
def test_metrics_of_an_idle_x_account_are_read_not_skipped(
    x, enrolled, item, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    account = x.account(enrolled, expired=False)
    share = actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)]
    )
    target = share.targets.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish(target.pk) == "published"
    target.refresh_from_db()
    route_tweet(x, target.remote_id)
    x.valid_access.clear()  # two hours later
    SocialAccount.objects.filter(pk=account.pk).update(expires_at=timezone.now())
    assert measures.refresh_metrics() == 1
    target.refresh_from_db()
    assert (target.likes, target.reposts, target.impressions) == (17, 4, 900)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED


@pytest.mark.django_db
def test_a_worker_with_stale_credentials_uses_the_ones_just_refreshed(x, enrolled) -> None:
    """What a second worker sees on SQLite too: it read the account before the first
    refreshed it, so its refresh token is spent. It must use the stored ones."""
    stale = x.account(enrolled)
    fresh_worker = SocialAccount.objects.get(pk=stale.pk)
    network = network_for(stale.organisation, "x")
    calls.refresh(fresh_worker, network, fresh_worker.secrets)  # the first worker
    assert x.refreshes == 1
    identity = calls.on_behalf(stale, network, network.identity)
    assert identity.audience == 5120
    assert x.refreshes == 1 and x.refused_refreshes == 0
    stale.refresh_from_db()
    assert stale.status == SocialAccount.Status.CONNECTED


@pytest.mark.django_db
def test_credentials_another_worker_stored_and_that_expired_since_are_refreshed(
    x, enrolled
) -> None:
    """Seen in the chaos run on Bluesky, whose tokens carry no expiry we read: a worker
    refused with old credentials adopts those another worker stored; when they have
    expired meanwhile too, it refreshes them instead of marking the account."""
    stale = x.account(enrolled, expired=False)
    other_worker = SocialAccount.objects.get(pk=stale.pk)
    network = network_for(stale.organisation, "x")
    calls.refresh(other_worker, network, other_worker.secrets)
    SocialAccount.objects.filter(pk=stale.pk).update(expires_at=None)  # expiry not known
    x.valid_access.clear()  # later: the access token that worker stored expired as well
    identity = calls.on_behalf(stale, network, network.identity)
    assert identity.audience == 5120
    stale.refresh_from_db()
    assert stale.status == SocialAccount.Status.CONNECTED, stale.last_error
    assert x.refreshes == 2 and x.refused_refreshes == 0


@pytest.mark.django_db
def test_a_slow_token_answer_is_waited_for_not_lost(x, enrolled, settings) -> None:
    """X rotates the refresh token when it answers: giving up on that answer would lose
    the grant for good. Seen in the chaos run on a loaded machine."""
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
    x.refresh_delay = 1.0  # slower than any other call may take
    account = x.account(enrolled)
    assert measures.refresh_audiences() == 1
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED, account.last_error
    assert account.credentials.secrets["refresh_token"] == "ref-1"


@pytest.mark.django_db
def test_a_refused_refresh_marks_the_account(x, enrolled) -> None:
    account = x.account(enrolled)
    x.valid_refresh.clear()  # revoked by the person on X
    assert measures.refresh_audiences() == 0
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECTION
    assert account.last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_refresh_one_x_account_once(
    x, enrolled, item, no_quiet_hours, settings, transactional_db
) -> None:
    """Two targets of one account released together (a rate-limit reset): each worker
    finds the access token expired; only one refreshes, the other uses its result."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # Both posts may go out at once: no stagger between them (it is checked at claim).
    no_quiet_hours.stagger_minutes = 0
    no_quiet_hours.save(update_fields=["stagger_minutes"])
    account = x.account(enrolled)
    targets = []
    for message in (PERSONAL, PERSONAL + " Lyon !"):
        share = actions.create_share(
            as_actor(enrolled), item, message, [TargetRequest(account_id=account.pk)]
        )
        targets.append(share.targets.get().pk)
    ShareTarget.objects.filter(pk__in=targets).update(
        status=TargetStatus.QUEUED, scheduled_at=timezone.now()
    )
    x.tweets.clear()
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def worker(target_id: int) -> None:
        try:
            start.wait()
            outcomes[target_id] = publishing.publish(target_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED, account.last_error
    assert x.refused_refreshes == 0 and x.refreshes == 1
    assert sorted(outcomes.values()) == ["published", "published"]
    assert len(x.tweets) == 2
