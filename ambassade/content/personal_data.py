"""What the content hub knows about a person, for the export and for anonymisation."""

from __future__ import annotations

from typing import Any

from ambassade.content.models import ContentItem, HiddenItem, ReviewComment, Suggestion
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person


@exporter("content")
def export_content(person: Person) -> dict[str, Any]:
    return {
        "suggestions": [
            {
                "url": suggestion.url,
                "text": suggestion.text,
                "note": suggestion.note,
                "state": suggestion.state,
                "response": suggestion.response,
                "created_at": suggestion.created_at.isoformat(),
            }
            for suggestion in Suggestion.objects.filter(author=person)
        ],
        "credited_on": list(
            ContentItem.objects.filter(credited=person).values_list("title", flat=True)
        ),
        "not_interested": list(
            HiddenItem.objects.filter(person=person).values_list("item__title", flat=True)
        ),
    }


@anonymiser
def forget_content(person: Person) -> None:
    """Suggestions and preferences go; items keep their text but lose the name."""
    Suggestion.objects.filter(author=person).delete()
    HiddenItem.objects.filter(person=person).delete()
    ContentItem.objects.filter(credited=person).update(credited=None)
    ReviewComment.objects.filter(author=person).update(author=None, author_label="")
