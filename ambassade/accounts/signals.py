"""Every account's address is a confirmed, primary allauth address.

Accounts are created by an organisation (invitations, imports, setup, the demo) for a work
address it vouches for, so the address counts as confirmed. Without this row allauth would
treat the address as unconfirmed, and asking to change it would drop it (leaving the
account with no address at all) before the new one is confirmed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models.signals import post_save


def ensure_primary_address(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not instance.email:
        return
    addresses = EmailAddress.objects.filter(user=instance)
    if addresses.filter(email__iexact=instance.email, primary=True).exists():
        return
    found = addresses.filter(email__iexact=instance.email).first()
    if found is None:
        found = EmailAddress(user=instance, email=instance.email.lower())
    # The address on the account is the primary one, whoever set it.
    addresses.exclude(pk=found.pk).filter(primary=True).update(primary=False)
    found.primary = True
    found.verified = True
    found.save()


def connect() -> None:
    from ambassade.accounts.models import User

    post_save.connect(ensure_primary_address, sender=User, dispatch_uid="accounts-primary-address")
