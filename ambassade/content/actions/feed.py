"""The person's feed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ambassade.content.actions._common import require
from ambassade.content.models import ContentItem, HiddenItem
from ambassade.core.authz import Actor

# --- The person's feed ------------------------------------------------------------------


@transaction.atomic
def hide_item(actor: Actor, item: ContentItem) -> None:
    """“Not interested”: the item leaves this person's feed."""
    require(actor, "feed.view", item.organisation_id)
    if actor.person is None:
        raise PermissionDenied
    HiddenItem.objects.get_or_create(person=actor.person, item=item)
