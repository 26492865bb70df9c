"""Suggested messages: the texts ambassadors share with an item."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content import guidelines, limits, selectors
from ambassade.content.actions._common import _language, require
from ambassade.content.actions.cleaning import plain
from ambassade.content.models import ContentItem, Network, SuggestedMessage, network_codes
from ambassade.core import audit
from ambassade.core.authz import Actor

# --- Suggested messages -----------------------------------------------------------------


def _message_values(
    actor: Actor,
    item: ContentItem,
    *,
    language: str,
    network: str,
    text: str,
    hashtags: str,
    mentions: str,
) -> dict[str, Any]:
    _language(language)
    if network not in network_codes():
        raise ValidationError({"network": _("Choose a network.")})
    text = plain(text, "text", limit=3000, required=True)
    hashtags = plain(hashtags, "hashtags", limit=300)
    mentions = plain(mentions, "mentions", limit=300)
    tags = " ".join(
        word if word.startswith("#") else f"#{word}" for word in hashtags.replace(",", " ").split()
    )
    people = " ".join(
        word if word.startswith("@") else f"@{word}" for word in mentions.replace(",", " ").split()
    )
    return {
        "language": language,
        "network": network,
        "text": text,
        "hashtags": tags,
        "mentions": people,
    }


def check_or_refuse(organisation: Any, message: SuggestedMessage) -> guidelines.CheckResult:
    """Checks the whole message against the guidelines; a blocking finding refuses it."""
    result = selectors.check_message(organisation, message.full_text, message.network)
    if result.blocked:
        reasons = "; ".join(
            f"“{finding.matched}”: {finding.reason or _('not allowed')}"
            for finding in result.blocking
        )
        raise ValidationError({"text": _("Not saved, the guidelines forbid it: %s") % reasons})
    for counted in limits.counts(message.full_text, message.network):
        if counted.over and message.network != Network.ANY:
            raise ValidationError(
                {
                    "text": _("Too long for %(network)s: %(used)s of %(limit)s characters.")
                    % {"network": counted.network, "used": counted.used, "limit": counted.limit}
                }
            )
    return result


@transaction.atomic
def add_message(actor: Actor, item: ContentItem, **values: Any) -> tuple[SuggestedMessage, Any]:
    require(actor, "content.edit", item.organisation_id)
    if not item.shareable:
        raise ValidationError(_("Internal news is never shared outside: it has no messages."))
    message = SuggestedMessage(item=item, **_message_values(actor, item, **values))
    result = check_or_refuse(actor.organisation, message)
    message.save()
    audit.record(
        "content.message_added",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"language": message.language, "network": message.network, "text": message.text},
    )
    return message, result


@transaction.atomic
def update_message(
    actor: Actor, message: SuggestedMessage, **values: Any
) -> tuple[SuggestedMessage, Any]:
    require(actor, "content.edit", message.item.organisation_id)
    before = {"text": message.text, "network": message.network, "language": message.language}
    for name, value in _message_values(actor, message.item, **values).items():
        setattr(message, name, value)
    result = check_or_refuse(actor.organisation, message)
    message.save()
    audit.record(
        "content.message_changed",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before=before,
        after={"text": message.text},
    )
    return message, result


@transaction.atomic
def apply_suggested_wording(
    actor: Actor, message: SuggestedMessage, index: int
) -> SuggestedMessage:
    """One-click apply: replaces the preferred-term finding number ``index`` of the text."""
    require(actor, "content.edit", message.item.organisation_id)
    result = guidelines.check(message.text, selectors.glossary(actor.organisation))
    suggestions = result.suggestions
    if not 0 <= index < len(suggestions):
        raise ValidationError(_("This suggestion no longer applies."))
    before = message.text
    message.text = guidelines.apply_suggestion(message.text, suggestions[index])
    message.save(update_fields=["text"])
    audit.record(
        "content.message_changed",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before={"text": before},
        after={"text": message.text},
    )
    return message


@transaction.atomic
def delete_message(actor: Actor, message: SuggestedMessage) -> None:
    require(actor, "content.edit", message.item.organisation_id)
    audit.record(
        "content.message_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=message.item,
        before={"text": message.text},
    )
    message.delete()
