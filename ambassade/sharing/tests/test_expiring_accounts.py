"""The daily warn_expiring_accounts job: 7 days and 1 day before a token that cannot be
refreshed (LinkedIn without a refresh token) expires, once per account, token and
threshold."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ambassade.core import periodic
from ambassade.core.models import DomainEvent
from ambassade.sharing import expiry, tasks
from ambassade.sharing.models import ExpiryWarning, SocialAccount
from ambassade.sharing.networks.base import Credentials

pytestmark = pytest.mark.django_db


def payloads() -> list[dict[str, Any]]:
    return list(
        DomainEvent.objects.filter(name="sharing.account_expiring")
        .order_by("pk")
        .values_list("payload", flat=True)
    )


def _account(person, network: str, expires_at: datetime, **secrets: str) -> SocialAccount:
    account = SocialAccount(
        organisation=person.organisation,
        person=person,
        network=network,
        remote_id=f"{network}-{person.pk}-{len(secrets)}-{expires_at.timestamp()}",
        handle=f"{person.first_name} on {network}",
    )
    account.store(Credentials(secrets={"access_token": "tok", **secrets}, expires_at=expires_at))
    account.save()
    return account


def test_the_job_is_daily() -> None:
    job = periodic.REGISTRY[tasks.warn_expiring_accounts.module_path]
    assert job.interval == timedelta(days=1)


def test_warned_seven_days_then_one_day_before_once_each(persona) -> None:
    now = timezone.now()
    expires_at = now + timedelta(days=6, hours=20)
    linkedin = _account(persona.ambassador, "linkedin", expires_at)
    assert expiry.warn_expiring_accounts(now - timedelta(days=1)) == 0  # 7 days 20 h: not yet
    assert expiry.warn_expiring_accounts(now) == 1
    assert expiry.warn_expiring_accounts(now + timedelta(hours=1)) == 0  # the same day again
    assert payloads() == [
        {
            "account_id": linkedin.pk,
            "person_id": persona.ambassador.pk,
            "network": "linkedin",
            "expires_at": expires_at.isoformat(),
            "days_left": 7,
        }
    ]
    assert DomainEvent.objects.get().organisation == persona.organisation
    for day in range(1, 6):  # nothing between the two warnings
        assert expiry.warn_expiring_accounts(now + timedelta(days=day)) == 0
    assert expiry.warn_expiring_accounts(now + timedelta(days=6)) == 1  # 20 hours left
    assert expiry.warn_expiring_accounts(now + timedelta(days=6, hours=1)) == 0
    assert [p["days_left"] for p in payloads()] == [7, 1]
    assert expiry.warn_expiring_accounts(now + timedelta(days=7)) == 0  # expired: not "expiring"
    assert ExpiryWarning.objects.filter(account=linkedin).count() == 2


def test_only_tokens_nobody_can_refresh(persona) -> None:
    now = timezone.now()
    soon = now + timedelta(days=3)
    _account(persona.ambassador, "linkedin", soon, refresh_token="r")  # a partner app
    _account(persona.ambassador, "x", soon, refresh_token="r")  # refreshed by the engine
    marked = _account(persona.marketer, "linkedin", soon)
    SocialAccount.objects.filter(pk=marked.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECTION
    )
    _account(persona.sales, "linkedin", now + timedelta(days=30))
    assert expiry.warn_expiring_accounts(now) == 0
    assert payloads() == []


def test_a_reconnected_account_is_warned_again_for_its_new_token(persona) -> None:
    now = timezone.now()
    account = _account(persona.ambassador, "linkedin", now + timedelta(hours=10))
    assert expiry.warn_expiring_accounts(now) == 1  # seen late: the nearest warning only
    assert [p["days_left"] for p in payloads()] == [1]
    renewed = now + timedelta(days=60)
    account.store(Credentials(secrets={"access_token": "new"}, expires_at=renewed))
    account.save()
    assert expiry.warn_expiring_accounts(now + timedelta(days=54)) == 1
    assert [p["days_left"] for p in payloads()] == [1, 6]


def test_the_task_runs_it_and_a_rollback_keeps_nothing(persona, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _account(persona.ambassador, "linkedin", timezone.now() + timedelta(days=2))
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert tasks.warn_expiring_accounts.call() == 1
        _ = 1 / 0
    assert not ExpiryWarning.objects.exists() and payloads() == []
    assert tasks.warn_expiring_accounts.call() == 1
    assert tasks.warn_expiring_accounts.call() == 0
    assert len(payloads()) == 1
