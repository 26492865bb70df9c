"""The audit log as sentences in the reader's language.

Every audit action code has one sentence template, registered by the app that records
it (in its ``words`` module, which core discovers: imports keep pointing down). A
template names the actor and the object: ``_("%(actor)s resumed the posts")``. Changes
read as "Field: before → after" with the values' codes shown by their names. A code
nobody registered still reads as words, never as a dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ambassade.core import display
from ambassade.core.models import AuditEvent

_SENTENCES: dict[str, str | Promise] = {}


def register_sentences(sentences: dict[str, str | Promise]) -> None:
    _SENTENCES.update(sentences)


def registered_codes() -> set[str]:
    return set(_SENTENCES)


def actor_name(event: AuditEvent) -> str:
    if not event.actor_label or event.actor_label == "system":
        return _("Ambassade (automatically)")
    return event.actor_label


def channel_name(event: AuditEvent) -> str:
    """How the action came in: the web pages, the API or the application itself."""
    names = {"web": _("web"), "api": _("API"), "scim": "SCIM", "system": _("automatic")}
    return names.get(event.via, event.via)


def action_name(code: str) -> str:
    """The action alone, for the filter list: the sentence without actor nor object."""
    template = _SENTENCES.get(code)
    if template is None:
        return code.replace(".", " · ").replace("_", " ")
    return str(template) % {"actor": "…", "target": "…"}


def sentence(event: AuditEvent) -> str:
    values = {"actor": actor_name(event), "target": event.target_label or "—"}
    template = _SENTENCES.get(event.action)
    if template is None:
        text = _("%(actor)s: %(action)s (%(target)s)")
        values["action"] = event.action.replace(".", " · ").replace("_", " ")
    else:
        text = str(template)
    if not event.target_label:
        # Without an object, the sentence ends before its parenthesis.
        text = text.replace(" (%(target)s)", "")
    return text % values


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {"value": value}


def changes(event: AuditEvent) -> list[Change]:
    """What changed, field by field: label, value before and value after, readable."""
    before, after = _as_dict(event.before), _as_dict(event.after)
    found = []
    for key in [*before, *(key for key in after if key not in before)]:
        kind = display.field_kind(key)
        found.append(
            Change(
                field=display.field_label(key),
                before=display.readable_value(before[key], kind) if key in before else "",
                after=display.readable_value(after[key], kind) if key in after else "",
            )
        )
    return found
