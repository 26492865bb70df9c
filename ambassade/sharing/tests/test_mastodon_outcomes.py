"""Mastodon after an uncertain outcome, through the engine and the real module, against
a local instance that behaves like Mastodon: it remembers an Idempotency-Key only once
the first request has finished. Looking a post up must read, never post again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.sharing import actions, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import PublishAttempt, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.conftest import PERSONAL, as_actor
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply, fake_api

pytestmark = pytest.mark.django_db
ACCOUNT = {"id": "14715", "username": "alice", "acct": "alice", "followers_count": 3}


@dataclass
class SlowMastodon:
    """Creating a status takes ``work`` seconds; the key is stored when it is done."""

    api: FakeApi
    work: float = 1.6
    statuses: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, request: Recorded) -> Reply:
        key = request.header("Idempotency-Key") or ""
        with self.lock:
            if key in self.keys:
                return Reply(200, self.keys[key])
        time.sleep(self.work)  # still running: a repeat now is not recognised
        text = request.json()["status"]
        link = text.rsplit(None, 1)[-1]
        with self.lock:
            status_id = str(109000 + len(self.statuses))
            status = {
                "id": status_id,
                "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
                "uri": f"https://mastodon.example/users/alice/statuses/{status_id}",
                "url": f"https://mastodon.example/@alice/{status_id}",
                "content": f'<p>{text[: -len(link)]}<a href="{link}" rel="nofollow">'
                f'<span class="invisible">https://</span>{link[8:30]}</a></p>',
            }
            self.statuses.insert(0, status)
            self.keys[key] = status
        return Reply(200, status)

    def timeline(self, request: Recorded) -> Reply:
        with self.lock:
            return Reply(200, list(self.statuses))


@pytest.fixture
def mastodon(settings) -> Iterator[SlowMastodon]:
    settings.OUTBOUND_TIMEOUT_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with fake_api() as api:
        served = SlowMastodon(api)
        api.on("POST", "/api/v1/statuses", served.create)
        api.on("GET", "/api/v1/accounts/verify_credentials", Reply(200, ACCOUNT))
        api.on("GET", "/api/v1/accounts/14715/statuses", served.timeline)
        yield served


@pytest.fixture
def target(mastodon, enrolled, item, no_quiet_hours) -> ShareTarget:
    account = SocialAccount(
        organisation=enrolled.organisation,
        person=enrolled,
        network="mastodon",
        remote_id="14715@127.0.0.1",
        handle="@alice@127.0.0.1",
    )
    account.store(
        Credentials(secrets={"access_token": "tok", "instance": mastodon.api.url, "client_id": "c"})
    )
    account.save()
    share = actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)]
    )
    return share.targets.get()


def _run(target: ShareTarget, capture) -> str:
    ShareTarget.objects.filter(pk=target.pk, status=TargetStatus.QUEUED).update(
        scheduled_at=timezone.now()
    )
    with capture(execute=True):
        outcome = publishing.publish(target.pk)
    target.refresh_from_db()
    return outcome


def test_a_timeout_while_the_status_is_being_created_does_not_post_twice(
    mastodon, target, django_capture_on_commit_callbacks
) -> None:
    first = _run(target, django_capture_on_commit_callbacks)
    # "retry": the look-up right after the timeout came before the status existed (on a
    # busy machine it may come after, and find it at once).
    assert first in {"retry", "published"}
    time.sleep(mastodon.work)  # the first request finishes on the server
    assert len(mastodon.statuses) == 1
    if first == "retry":
        # Within the grace period "not there" would not be trusted, but it is there now.
        assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert target.remote_url == mastodon.statuses[0]["url"]
    time.sleep(mastodon.work)
    assert len(mastodon.statuses) == 1
    posts = [r for r in mastodon.api.requests if r.method == "POST"]
    assert len(posts) == 1


def test_a_status_that_never_came_is_posted_again_after_the_grace_period(
    mastodon, target, django_capture_on_commit_callbacks
) -> None:
    # The worker died before sending: nothing on the instance.
    claimed = publishing._claim(target.pk)
    assert not isinstance(claimed, str)
    PublishAttempt.objects.filter(target=target).update(
        started_at=timezone.now() - timedelta(minutes=2)
    )
    ShareTarget.objects.filter(pk=target.pk).update(status=TargetStatus.QUEUED)
    assert _run(target, django_capture_on_commit_callbacks) == "retry"  # too soon to trust
    assert [r.method for r in mastodon.api.requests] == ["GET", "GET"]  # read, never posted
    PublishAttempt.objects.filter(target=target, number=1).update(
        started_at=timezone.now() - timedelta(minutes=6)
    )
    mastodon.work = 0
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert len(mastodon.statuses) == 1


def test_look_ups_after_an_uncertain_outcome_count_against_the_limit(
    mastodon, target, django_capture_on_commit_callbacks
) -> None:
    mastodon.api.on("GET", "/api/v1/accounts/14715/statuses", Reply(503, {"error": "down"}))
    outcomes = [_run(target, django_capture_on_commit_callbacks) for _ in range(12)]
    assert "to verify" in outcomes
    assert outcomes.index("to verify") == publishing.MAX_TRIES - 1
    assert target.status == TargetStatus.TO_VERIFY
    assert target.tries == publishing.MAX_TRIES
    time.sleep(mastodon.work)
    assert len(mastodon.statuses) == 1
