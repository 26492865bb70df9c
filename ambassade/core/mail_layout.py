"""The HTML part of every mail: the organisation's name and colour, the text in
paragraphs, and one clear button for the action the mail asks for.

Mails are written once, as plain text (that part is sent as it is). The HTML part is made
from it: each paragraph of the text becomes a paragraph, links become links, and the line
that carries the action's address becomes a button, labelled by the words before the
address ("Open your invitation: https://…" → a button "Open your invitation"). Mail
programs ignore <style> blocks and classes, so the CSS is inlined by css-inline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import css_inline
from django.template.loader import render_to_string
from django.utils.html import urlize
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DEFAULT_COLOUR = "#1d3f8f"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Paragraph:
    html: str
    button: tuple[str, str] | None = None  # (label, address)


def _paragraphs(body: str, action_url: str, action_label: str) -> list[Paragraph]:
    found: list[Paragraph] = []
    button_shown = False
    for block in re.split(r"\n\s*\n", body.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if action_url and not button_shown and action_url in line:
                # Whatever was written before the address names the button.
                words = line.replace(action_url, "").strip().rstrip(":").strip()
                if lines:
                    found.append(Paragraph(html="<br>".join(lines)))
                    lines = []
                found.append(
                    Paragraph(html="", button=(action_label or words or _("Open"), action_url))
                )
                button_shown = True
                continue
            lines.append(urlize(line, autoescape=True))
        if lines:
            found.append(Paragraph(html="<br>".join(lines)))
    if action_url and not button_shown:
        found.append(Paragraph(html="", button=(action_label or _("Open"), action_url)))
    return found


def render_html(
    *, organisation_slug: str, subject: str, body: str, action_url: str = "", action_label: str = ""
) -> str:
    from ambassade.core.models import Organisation

    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    colour = getattr(organisation, "brand_colour", "") or DEFAULT_COLOUR
    html = render_to_string(
        "core/mail/message.html",
        {
            "organisation_name": organisation.name if organisation is not None else "Ambassade",
            "colour": colour if _COLOUR.match(colour) else DEFAULT_COLOUR,
            "subject": subject,
            "paragraphs": _paragraphs(body, action_url, action_label),
            "language": get_language() or "en",
        },
    )
    return css_inline.inline(html)
