"""After an uncertain outcome the engine posts again only when a look-up positively said
"not there", late enough to trust; anything else leaves the post "to verify" for its
author, who sees what to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.sharing import actions, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import (
    FailureKind,
    PublishAttempt,
    ShareTarget,
    SocialAccount,
    TargetStatus,
)
from ambassade.sharing.networks.base import NeedsReconnection, Rejected, Transient
from ambassade.sharing.tests.conftest import PERSONAL, FakeNetwork, as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _share(person, item, account) -> ShareTarget:
    share = actions.create_share(
        as_actor(person), item, PERSONAL, [TargetRequest(account_id=account.pk)]
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


def _crashed_after_posting(target: ShareTarget, fake, posted: bool = True) -> None:
    """A worker claimed the target, maybe posted, and died before recording anything."""
    claimed = publishing._claim(target.pk)
    assert not isinstance(claimed, str)
    if posted:
        fake.posted.append(publishing._post(claimed[0]))
    PublishAttempt.objects.filter(target=target).update(
        started_at=timezone.now() - publishing.STALE_AFTER - timedelta(minutes=1)
    )


@pytest.mark.parametrize(
    ("lookup_error", "kind"),
    [
        (NeedsReconnection("ExpiredToken"), FailureKind.NEEDS_RECONNECTION),
        (Rejected("Forbidden: the timeline cannot be read"), FailureKind.NONE),
    ],
)
def test_a_lookup_that_cannot_conclude_never_posts_again(
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    client_for,
    django_capture_on_commit_callbacks,
    lookup_error,
    kind,
) -> None:
    target = _share(enrolled, item, account)
    _crashed_after_posting(target, fake)
    fake.find_script = [lookup_error, lookup_error]
    fake.refresh_result = NeedsReconnection("Revoked")
    assert _run(target, django_capture_on_commit_callbacks) == "to verify"
    assert len(fake.posted) == 1 and "publish" not in fake.calls
    assert (target.status, target.failure_kind) == (TargetStatus.TO_VERIFY, kind)
    page = client_for(enrolled).get("/me/posts/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "À vérifier" in page
    assert "Vérifiez votre profil" in page or "Connectez de nouveau le compte" in page
    if kind == FailureKind.NEEDS_RECONNECTION:
        assert "/me/accounts/" in page
        account.refresh_from_db()
        assert account.status == SocialAccount.Status.NEEDS_RECONNECTION


def test_a_single_immediate_not_found_is_looked_at_again_before_posting(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = ["timeout-shows-later"]
    target = _share(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "retry"
    assert target.status == TargetStatus.QUEUED
    assert target.attempts.get().outcome == "uncertain"
    fake.posted.extend(fake.pending)  # the first request finished after our timeout
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert fake.calls == ["publish", "find", "find"]
    assert len(fake.posted) == 1
    assert target.remote_url.endswith("/found")


def test_not_there_is_trusted_only_after_the_grace_period(
    enrolled, item, account, fake, no_quiet_hours, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(FakeNetwork, "lookup_grace", timedelta(minutes=30), raising=False)
    target = _share(enrolled, item, account)
    _crashed_after_posting(target, fake, posted=False)
    before = timezone.now()
    assert _run(target, django_capture_on_commit_callbacks) == "retry"
    assert fake.calls == ["find"]
    crashed = target.attempts.order_by("number").first()
    assert crashed is not None and target.scheduled_at is not None
    assert target.scheduled_at >= crashed.started_at + timedelta(minutes=30) > before
    PublishAttempt.objects.filter(pk=crashed.pk).update(
        started_at=timezone.now() - timedelta(minutes=31)
    )
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert fake.calls == ["find", "find", "publish"]
    assert len(fake.posted) == 1
    assert target.attempts.get(pk=crashed.pk).outcome == publishing.ABSENT


def test_lookups_that_keep_failing_stop_at_the_limit_and_go_to_verify(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    target = _share(enrolled, item, account)
    _crashed_after_posting(target, fake)
    fake.find_script = [Transient("503")] * 20
    outcomes = [_run(target, django_capture_on_commit_callbacks) for _ in range(12)]
    # The crashed call was the first try; every look-up counts as one more.
    assert outcomes[: publishing.MAX_TRIES - 2] == ["retry"] * (publishing.MAX_TRIES - 2)
    assert outcomes[publishing.MAX_TRIES - 2] == "to verify"
    assert target.status == TargetStatus.TO_VERIFY
    assert target.tries == publishing.MAX_TRIES
    assert len(fake.posted) == 1 and "publish" not in fake.calls


def test_the_author_says_it_is_not_there_and_it_is_published_once(
    enrolled, item, account, fake, no_quiet_hours, client_for, django_capture_on_commit_callbacks
) -> None:
    target = _share(enrolled, item, account)
    _crashed_after_posting(target, fake, posted=False)
    fake.find_script = [Rejected("Forbidden")]
    assert _run(target, django_capture_on_commit_callbacks) == "to verify"
    page = client_for(enrolled).get("/me/posts/").content.decode()
    assert f"/me/posts/{target.pk}/verify" in page and "It is not there: publish it" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(enrolled).post(f"/me/posts/{target.pk}/verify", {"online": "no"})
    assert answer.status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED  # queued, then published by its task
    assert fake.calls == ["find", "publish"]  # the author's word: no look-up before posting
    assert len(fake.posted) == 1
    assert set(target.attempts.values_list("outcome", flat=True)) >= {publishing.ABSENT}


def test_the_author_says_it_is_online_through_the_api(
    enrolled, item, account, fake, no_quiet_hours, client_for, django_capture_on_commit_callbacks
) -> None:
    account.audience = 300
    account.save(update_fields=["audience"])
    target = _share(enrolled, item, account)
    _crashed_after_posting(target, fake)
    fake.find_script = [NeedsReconnection("expired")]
    fake.refresh_result = NeedsReconnection("revoked")
    _run(target, django_capture_on_commit_callbacks)
    assert target.status == TargetStatus.TO_VERIFY
    client = client_for(enrolled)
    url = f"/api/v1/sharing/posts/{target.pk}/verify"
    answer = client.post(url, {"online": True}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "published"
    target.refresh_from_db()
    assert (target.status, target.audience) == (TargetStatus.PUBLISHED, 300)
    again = client.post(url, {"online": False}, content_type="application/json")
    assert again.status_code == 422  # as every refused action (core/api.py)
    assert again.json()["error"]["message"].startswith("Only a post to verify")
    assert len(fake.posted) == 1
