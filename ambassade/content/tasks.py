"""Background work of the content hub: previews, scheduled publication, expiry, sources."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ambassade.core import mail
from ambassade.core.periodic import every


@task()
def fetch_preview(item_id: int) -> str:
    """Reads the page of an item and stores its card and image; returns the state."""
    from ambassade.content.actions import read_preview
    from ambassade.content.models import ContentItem

    item = ContentItem.objects.select_related("organisation").filter(pk=item_id).first()
    if item is None or not item.url:
        return "gone"
    error = read_preview(item)
    return f"failed: {error}" if error else "ready"


@every(minutes=5)
@task()
def publish_scheduled() -> int:
    """Approved items whose publication window has opened are published."""
    from ambassade.content.actions import publish_due

    return publish_due()


@every(minutes=5)
@task()
def expire_items() -> int:
    """Published items whose window has closed become expired."""
    from ambassade.content.actions import expire_due

    return expire_due()


@every(minutes=5)
@task()
def poll_sources() -> int:
    from ambassade.content.curation_actions import poll_due

    return poll_due()


@task()
def send_suggestion_outcome(suggestion_id: int) -> int:
    """Tells the author whether their suggestion was kept."""
    from ambassade.content.models import Suggestion

    suggestion = (
        Suggestion.objects.select_related("author__user", "organisation")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None or suggestion.state == Suggestion.State.PENDING:
        return 0
    person = suggestion.author
    language = (person.user.language if person.user is not None else "") or (
        suggestion.organisation.default_language or "en"
    )
    with translation.override(language):
        what = suggestion.url or suggestion.text[:80]
        if suggestion.state == Suggestion.State.ACCEPTED:
            subject = _("Your suggestion is kept")
            outcome = _(
                "Thank you: your suggestion “%(what)s” is kept. It will appear in the feed "
                "once ready, with your name credited."
            ) % {"what": what}
        else:
            subject = _("About your suggestion")
            outcome = _(
                "Thank you for your suggestion “%(what)s”. The team did not keep it this time."
            ) % {"what": what}
        link = settings.BASE_URL.rstrip("/") + reverse("content:suggest")
        body = _("Hello %(name)s,\n\n%(outcome)s\n\n%(response)s\n\nYour suggestions: %(link)s") % {
            "name": person.first_name,
            "outcome": outcome,
            "response": suggestion.response,
            "link": link,
        }
    return mail.send(
        organisation_slug=suggestion.organisation.slug,
        subject=subject,
        body=body,
        to=[person.email],
        action_url=link,
        language=language,
    )
