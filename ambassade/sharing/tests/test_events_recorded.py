"""The sharing engine records its domain events (docs/events.md): a post published or
failed for good, an account that needs reconnecting; once each, and none on a retry."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ambassade.core.models import DomainEvent
from ambassade.sharing import actions, calls, measures, publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import FailureKind, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import NeedsReconnection, Rejected, Transient
from ambassade.sharing.tests.conftest import PERSONAL, as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_in_memory_and_tasks_at_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def payloads(name: str) -> list[dict[str, Any]]:
    return list(
        DomainEvent.objects.filter(name=name).order_by("pk").values_list("payload", flat=True)
    )


def _target(person, item, account) -> ShareTarget:
    share = actions.create_share(
        as_actor(person), item, PERSONAL, [TargetRequest(account_id=account.pk)]
    )
    return share.targets.get()


def _run(target: ShareTarget, capture) -> str:
    with capture(execute=True):
        outcome = publishing.publish(target.pk)
    target.refresh_from_db()
    return outcome


def _ids(target: ShareTarget) -> dict[str, Any]:
    return {
        "target_id": target.pk,
        "share_id": target.share_id,
        "person_id": target.share.person_id,
        "item_id": target.share.item_id,
        "network": "fakenet",
    }


def test_a_published_post_after_a_retry(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [Transient("503")]
    target = _target(enrolled, item, account)
    assert _run(target, django_capture_on_commit_callbacks) == "retry"
    assert not DomainEvent.objects.filter(name__startswith="sharing.").exists()  # not for good
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    assert _run(target, django_capture_on_commit_callbacks) == "published"
    assert payloads("sharing.share_published") == [
        {**_ids(target), "post_url": "https://fake.example/p/1"}
    ]
    assert publishing.publish(target.pk) == "skipped"
    assert len(payloads("sharing.share_published")) == 1
    assert payloads("sharing.share_failed") == []
    event = DomainEvent.objects.get(name="sharing.share_published")
    assert event.organisation_id == enrolled.organisation_id


def test_a_rejected_post_fails_for_good(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [Rejected("Duplicate post")]
    target = _target(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert target.status == TargetStatus.FAILED
    assert payloads("sharing.share_failed") == [{**_ids(target), "kind": FailureKind.REJECTED}]
    assert payloads("sharing.share_published") == []
    assert payloads("sharing.account_needs_reconnection") == []


def test_a_refused_refresh_marks_the_account_once_and_fails_the_post(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [NeedsReconnection("ExpiredToken")]
    fake.refresh_result = NeedsReconnection("Revoked: connect again.")
    target = _target(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert not calls.mark_needs_reconnection(account, account.secrets, "again")  # marked already
    assert payloads("sharing.account_needs_reconnection") == [
        {"account_id": account.pk, "person_id": enrolled.pk, "network": "fakenet"}
    ]
    assert payloads("sharing.share_failed") == [
        {**_ids(target), "kind": FailureKind.NEEDS_RECONNECTION}
    ]


def test_refused_again_after_a_refresh_marks_the_account(
    enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    fake.script = [NeedsReconnection("ExpiredToken"), NeedsReconnection("Revoked")]
    target = _target(enrolled, item, account)
    _run(target, django_capture_on_commit_callbacks)
    assert fake.calls == ["publish", "refresh", "publish"]
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECTION
    assert payloads("sharing.account_needs_reconnection") == [
        {"account_id": account.pk, "person_id": enrolled.pk, "network": "fakenet"}
    ]


def test_the_audience_job_marks_an_account_it_cannot_refresh(account, fake) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(expires_at=timezone.now())
    fake.refresh_result = NeedsReconnection("Revoked: connect again.")
    assert measures.refresh_audiences() == 0
    assert measures.refresh_audiences() == 0  # not connected any more: not measured
    assert len(payloads("sharing.account_needs_reconnection")) == 1


def test_a_rolled_back_mark_records_nothing(account, fake) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert calls.mark_needs_reconnection(account, account.secrets, "Revoked")
        _ = 1 / 0
    assert not DomainEvent.objects.exists()
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED
    # Stale credentials (another worker refreshed meanwhile): not marked, no event.
    assert not calls.mark_needs_reconnection(account, "older secrets", "Revoked")
    assert not DomainEvent.objects.exists()
    assert calls.mark_needs_reconnection(account, account.secrets, "Revoked")
    assert len(payloads("sharing.account_needs_reconnection")) == 1
