"""The digest as a mail: a plain-text part, an HTML part in the organisation's colours
(CSS inlined by css-inline, as every mail of core/mail_layout.py), and the headers that
bulk mail needs to be delivered and to be easy to leave (RFC 2369, RFC 8058, RFC 3834).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, formatdate, make_msgid, parseaddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ambassade.content.models import ContentItem
from ambassade.core.mail import ORGANISATION_HEADER
from ambassade.core.mail_layout import _COLOUR, DEFAULT_COLOUR
from ambassade.digests import links
from ambassade.digests.models import DigestSubscription, Frequency
from ambassade.digests.selectors import Week
from ambassade.people.models import Person

LINE_LENGTH = 160


@dataclass(frozen=True)
class Entry:
    title: str
    line: str
    image: str
    image_alt: str
    share: str


def language_of(person: Person) -> str:
    own = person.user.language if person.user_id and person.user else ""
    return own or person.organisation.default_language or "en"


def _entries(person: Person, items: list[ContentItem]) -> list[Entry]:
    return [
        Entry(
            title=item.title,
            line=Truncator(" ".join(item.description.split())).chars(LINE_LENGTH),
            image=links.absolute(item.image_url) if item.image_url else "",
            image_alt=item.image_alt,
            share=links.share_link(person.pk, item.pk),
        )
        for item in items
    ]


def _week_line(week: Week) -> str:
    posts = ngettext("%(count)d post", "%(count)d posts", week.posts) % {"count": week.posts}
    clicks = ngettext(
        "%(count)d click by a person", "%(count)d clicks by people", week.human_clicks
    ) % {"count": week.human_clicks}
    return _("Your last 7 days: %(posts)s, %(clicks)s (robots and link previews not counted).") % {
        "posts": posts,
        "clicks": clicks,
    }


def _text(context: dict[str, object], entries: list[Entry]) -> str:
    parts = [str(context["intro"]), ""]
    for entry in entries:
        parts += [entry.title, entry.line, _("Share: %(link)s") % {"link": entry.share}, ""]
    parts += [
        str(context["week"]),
        "",
        _("Change how often you receive it: %(link)s") % {"link": context["settings_link"]},
        _("Unsubscribe: %(link)s") % {"link": context["unsubscribe_link"]},
    ]
    return "\n".join(line for line in parts if line is not None)


def build(
    person: Person,
    subscription: DigestSubscription,
    items: list[ContentItem],
    week: Week,
) -> EmailMultiAlternatives:
    """The message for one person, in their language; not sent."""
    from django.urls import reverse

    organisation = person.organisation
    colour = organisation.brand_colour or DEFAULT_COLOUR
    language = language_of(person)
    with translation.override(language):
        weekly = subscription.frequency == Frequency.WEEKLY
        count = len(items)
        subject = (
            ngettext(
                "Your week at %(organisation)s: %(count)d thing to share",
                "Your week at %(organisation)s: %(count)d things to share",
                count,
            )
            if weekly
            else ngettext(
                "Today at %(organisation)s: %(count)d thing to share",
                "Today at %(organisation)s: %(count)d things to share",
                count,
            )
        ) % {"organisation": organisation.name, "count": count}
        entries = _entries(person, items)
        unsubscribe = links.unsubscribe_link(subscription.unsubscribe_token)
        context: dict[str, object] = {
            "language": language,
            "subject": subject,
            "organisation_name": organisation.name,
            "colour": colour if _COLOUR.match(colour) else DEFAULT_COLOUR,
            "intro": _("Hello %(name)s, here is what is new for you to share.")
            % {"name": person.first_name},
            "entries": entries,
            "week": _week_line(week),
            "settings_link": links.absolute(reverse("digests:settings")),
            "unsubscribe_link": unsubscribe,
        }
        html = css_inline.inline(render_to_string("digests/mail/digest.html", context))
        text = _text(context, entries)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "ambassade@localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((organisation.name, address)),
        to=[formataddr((person.full_name, person.email))],
        headers={
            "Message-ID": make_msgid(domain=links.site_domain()),
            "Date": formatdate(localtime=False, usegmt=True),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
            "Content-Language": language,
            ORGANISATION_HEADER: organisation.slug,
        },
    )
    message.attach_alternative(html, "text/html")
    return message
