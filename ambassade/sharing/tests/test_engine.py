"""The publishing engine's failure paths, with a fake network: never twice, always told."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassade.programs.models import Enrolment
from ambassade.sharing import actions, measures, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import (
    FailureKind,
    PublishAttempt,
    ShareTarget,
    SocialAccount,
    TargetStatus,
)
from ambassade.sharing.networks.base import NeedsReconnection, RateLimited, Rejected, Transient
from ambassade.sharing.tests.conftest import PERSONAL, as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_in_memory_and_tasks_at_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _share(person, item, account, **kwargs) -> ShareTarget:
    share = actions.create_share(
        as_actor(person), item, PERSONAL, [TargetRequest(account_id=account.pk)], **kwargs
    )
    return share.targets.get()


def _run(target: ShareTarget, capture) -> str:
    with capture(execute=True):
        outcome = publishing.publish(target.pk)
    target.refresh_from_db()
    return outcome


def test_publishes_once_with_its_tracked_link(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    account.audience = 420
    account.save(update_fields=["audience"])
    target = _share(enrolled, item, account)
    assert target.status == TargetStatus.QUEUED
    assert target.tracked_link.share_target_id == target.pk
    assert target.tracked_link.content_item_id == item.pk
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert target.status == TargetStatus.PUBLISHED
    assert target.remote_url == "https://fake.example/p/1"
    # The audience when the post went out: the potential reach of this share, for good.
    assert target.audience == 420
    assert fake.posted[0].link.endswith(target.tracked_link.code)
    assert PublishAttempt.objects.get(target=target).outcome == "published"
    # Claimed once: a second task for the same target does nothing.
    assert publishing.publish(target.pk) == "skipped"
    assert len(fake.posted) == 1


def test_expired_token_is_refreshed_then_published(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [NeedsReconnection("ExpiredToken")]
    target = _share(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert fake.calls == ["publish", "refresh", "publish"]
    account.refresh_from_db()
    assert account.credentials.secrets["token"].endswith("-fresh")
    assert target.attempts.count() == 2


def test_refused_refresh_asks_the_person_to_reconnect(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [NeedsReconnection("ExpiredToken")]
    fake.refresh_result = NeedsReconnection("Revoked: connect again.")
    target = _share(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert target.status == TargetStatus.FAILED
    assert target.failure_kind == FailureKind.NEEDS_RECONNECTION
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECTION
    # One mail (the account's notice, from notifications); the failed post is in the app.
    assert len(mail.outbox) == 1 and "/me/accounts/" in mail.outbox[0].body
    assert fake.posted == []


def test_rate_limit_waits_until_the_reset(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    reset = (timezone.now() + timedelta(minutes=15)).replace(microsecond=0)
    fake.script = [RateLimited("slow down", reset)]
    target = _share(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "rate limited"
    assert target.status == TargetStatus.QUEUED and target.scheduled_at == reset
    account.refresh_from_db()
    assert account.rate_limited_until == reset
    # Not due yet: another target of the account waits as well, without calling.
    assert publishing.publish(target.pk) == "not due"
    assert fake.calls == ["publish"]


def test_rejection_stops_and_tells_why(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [Rejected("Duplicate post")]
    target = _share(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert (target.status, target.failure_kind) == (TargetStatus.FAILED, FailureKind.REJECTED)
    assert target.failure_reason == "Duplicate post"
    assert len(mail.outbox) == 1  # the notice of sharing.share_failed (notifications)
    assert "Duplicate post" in mail.outbox[0].body


def test_transient_error_retries_with_backoff(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [Transient("503")]
    target = _share(enrolled, item, account)
    before = timezone.now()
    assert _run(target, django_capture_on_commit_callbacks) == "retry"
    assert target.status == TargetStatus.QUEUED
    assert target.scheduled_at is not None
    assert before + timedelta(seconds=14) < target.scheduled_at < before + timedelta(seconds=46)
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert len(fake.posted) == 1


def test_backoff_grows_and_is_capped() -> None:
    assert publishing.backoff(1) <= timedelta(seconds=45)
    assert timedelta(seconds=120) <= publishing.backoff(4) <= timedelta(seconds=360)
    assert publishing.backoff(30) <= timedelta(seconds=5400)


def test_timeout_after_the_network_accepted_does_not_duplicate(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = ["accepted-then-timeout"]
    target = _share(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert fake.calls == ["publish", "find"]
    assert len(fake.posted) == 1
    assert target.remote_url == "https://fake.example/p/found"


def test_uncertain_outcome_without_find_is_to_verify(
    enrolled, item, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    from ambassade.sharing.networks.base import Credentials

    blind = SocialAccount(
        organisation=enrolled.organisation,
        person=enrolled,
        network="blindnet",
        remote_id="b-1",
        handle="@b",
    )
    blind.store(Credentials(secrets={"token": "x"}))
    blind.save()
    fake.script = ["accepted-then-timeout"]
    target = _share(enrolled, item, blind)
    assert _run(target, django_capture_on_commit_callbacks) == "to verify"
    assert target.status == TargetStatus.TO_VERIFY
    assert len(fake.posted) == 1


@pytest.mark.parametrize("found", [True, False])
def test_worker_crash_mid_publish_is_resolved_without_duplicate(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks, found
) -> None:
    target = _share(enrolled, item, account)
    # The worker claimed the target, recorded its attempt, maybe posted, then died.
    claimed = publishing._claim(target.pk)
    assert not isinstance(claimed, str)
    if found:
        fake.posted.append(publishing._post(claimed[0]))
    PublishAttempt.objects.filter(target=target).update(
        started_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.release_due() == 1  # the stale "publishing" target is queued again
    target.refresh_from_db()
    if found:
        assert target.status == TargetStatus.PUBLISHED
        assert target.remote_url.endswith("/found")
        assert len(fake.posted) == 1
    else:
        # Not found on the network: the same idempotency key is posted, once.
        assert target.status == TargetStatus.PUBLISHED
        assert fake.calls == ["find", "publish"]
        assert len(fake.posted) == 1


def test_nothing_is_published_when_the_enrolment_ended(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    target = _share(
        enrolled, item, account, when="schedule", at=datetime.now(UTC) + timedelta(hours=3)
    )
    Enrolment.objects.filter(person=enrolled).update(status=Enrolment.Status.ENDED)
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    _run(target, django_capture_on_commit_callbacks)
    assert (target.status, target.failure_kind) == (TargetStatus.FAILED, FailureKind.NOT_ALLOWED)
    assert fake.posted == []


def test_metrics_are_fetched_for_recent_posts(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    target = _share(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert measures.refresh_metrics() == 1
    target.refresh_from_db()
    assert (target.likes, target.reposts, target.replies) == (3, 1, None)


def test_the_shared_link_leads_to_the_item_with_the_campaigns_utm_parameters(
    enrolled, item, account, no_quiet_hours, client
) -> None:
    from urllib.parse import parse_qs, urlsplit

    target = _share(enrolled, item, account)
    response = client.get(f"/r/{target.tracked_link.code}")
    assert response.status_code == 302
    destination = urlsplit(response["Location"])
    assert destination.netloc == "verdier.example" and destination.path == "/jobs/lyon"
    query = parse_qs(destination.query)
    assert query["utm_source"] == ["fakenet"]
    assert query["utm_medium"] == ["ambassador"]
    assert query["utm_campaign"] == ["marque-employeur"]
    assert query["utm_content"] == [str(item.pk)]


def test_claiming_and_publishing_a_post_reads_the_target_once(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    # The workers' cost per post: the target and what it points to come in one query
    # with the row lock, and the author from it (scripts/benchmark_publishing.py).
    target = _share(enrolled, item, account)
    with CaptureQueriesContext(connection) as queries:
        assert publishing.publish(target.pk) == "published"
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    by_id = re.compile(rf'WHERE \(?"sharing_sharetarget"\."id" = {target.pk}\b')
    assert len([sql for sql in selects if by_id.search(sql)]) == 1
    assert not [sql for sql in selects if 'FROM "sharing_share" ' in sql]
    # A first claim has no earlier attempt to look at, and the short link's organisation
    # is the one read with the claim.
    assert not [sql for sql in selects if 'FROM "sharing_publishattempt"' in sql]
    assert not [sql for sql in selects if 'FROM "core_organisation"' in sql]


def test_a_retried_post_still_looks_for_an_earlier_call_that_may_have_posted(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    # The other side of skipping the attempts on a first claim: from the second try on,
    # a call that may have published is looked for before posting again.
    fake.script = ["timeout-shows-later"]  # the network may have it: not posted again now
    target = _share(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "retry"
    assert target.tries == 1 and fake.calls == ["publish", "find"]
    PublishAttempt.objects.filter(target=target).update(
        started_at=timezone.now() - timedelta(hours=1)
    )
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    fake.calls.clear()
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert fake.calls == ["find", "publish"]
