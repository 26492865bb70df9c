"""What sharing knows about a person: accounts (never their secrets) and posts."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.sharing.models import Share, SocialAccount


@exporter("social_accounts")
def export_accounts(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "network": account.network,
            "handle": account.handle,
            "status": account.status,
            "audience": account.audience,
            "connected_at": account.connected_at.isoformat(),
        }
        for account in SocialAccount.objects.filter(person=person).defer("secrets")
    ]


@exporter("shares")
def export_shares(person: Person) -> list[dict[str, Any]]:
    shares = Share.objects.filter(person=person).prefetch_related("targets").order_by("pk")
    return [
        {
            "item_id": share.item_id,
            "message": share.message,
            "created_at": share.created_at.isoformat(),
            "targets": [
                {
                    "network": target.network,
                    "status": target.status,
                    "remote_url": target.remote_url,
                    "published_at": target.published_at.isoformat()
                    if target.published_at
                    else None,
                }
                for target in share.targets.all()
            ],
        }
        for share in shares
    ]


@anonymiser
def forget_sharing(person: Person) -> None:
    """Secrets and handles go; posts stay counted without the person's words or accounts."""
    for account in SocialAccount.objects.filter(person=person):
        account.secrets = ""
        account.handle = ""
        account.remote_id = f"forgotten-{account.pk}"
        account.status = SocialAccount.Status.DISCONNECTED
        account.save(update_fields=["secrets", "handle", "remote_id", "status"])
    Share.objects.filter(person=person).update(message="")
