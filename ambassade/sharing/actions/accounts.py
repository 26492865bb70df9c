"""Connecting and disconnecting a person's own social accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.programs.selectors import may_connect
from ambassade.sharing.actions._common import own_person
from ambassade.sharing.models import WAITING, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import (
    REGISTRY,
    ConnectsWithOAuth,
    ConnectsWithPassword,
    Credentials,
    NetworkError,
)
from ambassade.sharing.registry import network_for


def _save(actor: Actor, person: Person, code: str, credentials: Credentials) -> SocialAccount:
    network = network_for(person.organisation, code)
    try:
        identity = network.identity(credentials)
    except NetworkError as error:
        raise ValidationError(error.message) from None
    account = SocialAccount.objects.filter(
        person=person, network=code, remote_id=identity.remote_id
    ).first() or SocialAccount(
        organisation=person.organisation, person=person, network=code, remote_id=identity.remote_id
    )
    account.handle = identity.handle[:300]
    account.audience = identity.audience
    account.audience_measured_at = timezone.now() if identity.audience is not None else None
    account.status = SocialAccount.Status.CONNECTED
    account.last_error = ""
    account.connected_at = timezone.now()
    account.store(credentials)
    account.save()
    audit.record(
        "sharing.account_connected",
        organisation=person.organisation,
        actor=actor,
        target=account,
        after={"network": code, "handle": account.handle},
    )
    return account


def connect_with_password(actor: Actor, code: str, fields: dict[str, str]) -> SocialAccount:
    person = own_person(actor, "sharing.accounts")
    decision = may_connect(person, code)
    if not decision.allowed:
        raise ValidationError(decision.reason)
    network_class = REGISTRY.get(code)
    if network_class is None or not issubclass(network_class, ConnectsWithPassword):
        raise ValidationError(_("This network is not connected with a password."))
    network = network_for(person.organisation, code)
    assert isinstance(network, ConnectsWithPassword)
    try:
        credentials = network.login(fields)  # outside the transaction: a network call
    except NetworkError as error:
        raise ValidationError(error.message) from None
    with transaction.atomic():
        return _save(actor, person, code, credentials)


def connect_with_oauth(actor: Actor, code: str, credentials: Credentials) -> SocialAccount:
    person = own_person(actor, "sharing.accounts")
    decision = may_connect(person, code)
    if not decision.allowed:
        raise ValidationError(decision.reason)
    network_class = REGISTRY.get(code)
    if network_class is None or not issubclass(network_class, ConnectsWithOAuth):
        raise ValidationError(_("This network is not connected through its own site."))
    with transaction.atomic():
        return _save(actor, person, code, credentials)


def _wipe(account: SocialAccount, status: str, reason: str) -> None:
    account.secrets = ""
    account.expires_at = None
    account.status = status
    account.last_error = reason[:500]
    account.save(update_fields=["secrets", "expires_at", "status", "last_error", "updated_at"])
    # Nothing waits on an account that is gone.
    ShareTarget.objects.filter(account=account, status__in=WAITING).update(
        status=TargetStatus.CANCELLED, failure_reason=reason[:500]
    )


@transaction.atomic
def disconnect(actor: Actor, account: SocialAccount) -> SocialAccount:
    person = own_person(actor, "sharing.accounts")
    if account.person_id != person.pk:
        raise ValidationError(_("This account is not yours."))
    _wipe(account, SocialAccount.Status.DISCONNECTED, _("You disconnected this account."))
    audit.record(
        "sharing.account_disconnected",
        organisation=person.organisation,
        actor=actor,
        target=account,
        after={"network": account.network, "handle": account.handle},
    )
    return account


def forget_person_accounts(person: Person, actor: Actor | None, reason: str) -> int:
    """Deletes every secret of the person's accounts (departure, leaving with disconnection).

    Runs inside the caller's transaction (signal receivers).
    """
    accounts = list(
        SocialAccount.objects.filter(person=person).exclude(
            status=SocialAccount.Status.DISCONNECTED, secrets=""
        )
    )
    for account in accounts:
        _wipe(account, SocialAccount.Status.DISCONNECTED, reason)
    if accounts:
        audit.record(
            "sharing.accounts_forgotten",
            organisation=person.organisation,
            actor=actor,
            target=person,
            after={"accounts": len(accounts), "reason": reason},
        )
    return len(accounts)
