"""The e-mail channel: one HTML and text message, saying why it was sent and where to stop it."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core import mail
from ambassade.notifications.channels import Message
from ambassade.people.models import Person


def send_email(person: Person, message: Message) -> bool:
    if not person.email or person.anonymised_at is not None:
        return False
    from ambassade.notifications.actions import language_of

    language = language_of(person)
    with translation.override(language):
        paragraphs = [message.body] if message.body else []
        if message.url:
            paragraphs.append(_("Open it: %(url)s") % {"url": message.url})
        paragraphs.append(message.reason)
        paragraphs.append(
            _("Choose what you receive, and how: %(url)s") % {"url": message.settings_url}
        )
        mail.send(
            organisation_slug=person.organisation.slug,
            subject=message.title,
            body="\n\n".join(paragraphs),
            to=[person.email],
            action_url=message.url,
            language=language,
        )
    return True
