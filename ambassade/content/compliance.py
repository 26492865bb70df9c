"""The guidelines applied to every text of an item, not only to its suggested messages.

An item's title, description and text, its suggested messages and its translations (the
items of the same group in another language) are all read by someone outside the
company once published. A banned or confidential term in any of them refuses
submission, approval and publication, naming the term and where it is; preferred
wordings stay suggestions. See docs/decisions/0023-compliance-that-holds.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ambassade.content import guidelines, selectors
from ambassade.content.actions.cleaning import strip_html
from ambassade.content.models import LANGUAGES, ContentItem, network_name


@dataclass(frozen=True)
class Place:
    field: str  # the form or API field the error is attached to
    label: str  # where the text is, in the reader's words


@dataclass(frozen=True)
class Blocked:
    place: Place
    finding: guidelines.Finding


def _language_name(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code)).lower()


def _own_texts(item: ContentItem, field_prefix: str = "") -> Iterator[tuple[Place, str]]:
    yield Place(f"{field_prefix}title", _("the title")), item.title
    yield Place(f"{field_prefix}description", _("the description")), item.description
    yield Place(f"{field_prefix}body", _("the text")), strip_html(item.body, 100_000)


def texts_of(item: ContentItem) -> Iterator[tuple[Place, str]]:
    """Every text of the item a reader may see, with where it is."""
    yield from _own_texts(item)
    for message in item.messages.all():
        network = network_name(message.network)
        yield (
            Place(
                "messages",
                _("the suggested message (%(language)s, %(network)s)")
                % {"language": _language_name(message.language), "network": network},
            ),
            f"{message.text}\n{message.hashtags}\n{message.mentions}",
        )
    translations = ContentItem.objects.filter(
        organisation_id=item.organisation_id, group=item.group
    ).exclude(pk=item.pk)
    for translation in translations.prefetch_related("messages"):
        language = _language_name(translation.language)
        for place, text in texts_of_translation(translation):
            yield Place("translations", f"{place.label} ({language})"), text


def texts_of_translation(translation: ContentItem) -> Iterator[tuple[Place, str]]:
    yield from _own_texts(translation)
    for message in translation.messages.all():
        yield Place("messages", _("a suggested message")), message.text


def blocking_findings(item: ContentItem) -> list[Blocked]:
    terms = [
        term
        for term in selectors.glossary(item.organisation)
        if term.kind != guidelines.TermKind.PREFERRED
    ]
    if not terms:
        return []
    found = []
    for place, text in texts_of(item):
        if not text.strip():
            continue
        for finding in guidelines.check(text, terms).blocking:
            found.append(Blocked(place, finding))
    return found


def describe(blocked: Blocked) -> str:
    reason = blocked.finding.reason or _("not allowed by the guidelines")
    return _("“%(term)s” in %(place)s: %(reason)s. Remove it before going further.") % {
        "term": blocked.finding.matched,
        "place": blocked.place.label,
        "reason": reason,
    }


def what_blocks(item: ContentItem) -> list[str]:
    """The blocking findings as sentences, shown on the item's page before any action."""
    return [describe(blocked) for blocked in blocking_findings(item)]


def refuse_if_blocked(item: ContentItem) -> None:
    """Raises a ValidationError naming each blocking term and where it is."""
    found = blocking_findings(item)
    if not found:
        return
    errors: dict[str, list[str]] = {}
    for blocked in found:
        errors.setdefault(blocked.place.field, []).append(describe(blocked))
    raise ValidationError(errors)
