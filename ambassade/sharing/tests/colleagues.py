"""Helpers of the scheduling tests: enrolled colleagues with accounts, a fixed clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from ambassade.programs.models import AmbassadorType, Enrolment
from ambassade.sharing import actions
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.conftest import PERSONAL, SECRET, as_actor
from ambassade.testing.factories import PersonFactory

# Different enough from each other and from the item's suggestion (the similarity check).
MESSAGES = [
    PERSONAL,
    "Une belle occasion pour des ingénieurs curieux : je vous raconte volontiers mon quotidien.",
    "J'ai rejoint cette équipe il y a deux ans et je ne regrette rien, venez voir par vous-mêmes.",
    "Si vous aimez les défis techniques et le travail bien fait, regardez ces postes ouverts.",
    "Mon service grandit : nous cherchons des collègues motivés, parlez-m'en autour d'un café.",
    "Des projets concrets, une ambiance simple et de quoi apprendre : je recommande sans hésiter.",
]


def enrol_with_account(person: Any, program: Any, time_zone: str = "Europe/Paris") -> Any:
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=person.organisation, kind="supporter"
    )
    Enrolment.objects.get_or_create(
        program=program,
        person=person,
        defaults={"ambassador_type": kind, "status": Enrolment.Status.ACTIVE},
    )
    if person.user is not None:
        person.user.time_zone = time_zone
        person.user.save(update_fields=["time_zone"])
    account = SocialAccount(
        organisation=person.organisation,
        person=person,
        network="fakenet",
        remote_id=f"fake-{person.pk}",
        handle=f"@p{person.pk}@fake",
    )
    account.store(Credentials(secrets={"token": SECRET}))
    account.save()
    return account


def colleagues(persona: Any, program: Any, count: int) -> list[tuple[Any, Any]]:
    """``count`` enrolled people of the organisation, each with a connected account."""
    found = []
    for number in range(count):
        person = PersonFactory(
            organisation=persona.organisation,
            email=f"colleague{number}@example.com",
            with_user=True,
        )
        found.append((person, enrol_with_account(person, program)))
    return found


def share(person: Any, item: Any, account: Any, message: str = PERSONAL, **kwargs: Any) -> Any:
    person.refresh_from_db()
    return actions.create_share(
        as_actor(person), item, message, [TargetRequest(account_id=account.pk)], **kwargs
    ).targets.get()


class Clock:
    """``timezone.now()`` fixed at a moment the test chooses (and moves)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, moment: datetime) -> None:
        self.moment = moment


def local(target: ShareTarget, zone: Any) -> datetime:
    assert target.scheduled_at is not None
    return target.scheduled_at.astimezone(zone)
