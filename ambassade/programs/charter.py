"""The charter's text: sanitising what editors write, its fingerprint, and what changed."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass

import nh3
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

# What a charter must settle, according to the program's working group.
REQUIRED_SECTIONS = [
    _("Roles and responsibilities of the ambassador and of the company"),
    _("The program's objectives"),
    _("Counterparts: training, coaching, recognition"),
    _("Social accounts remain the employee's property"),
    _("What data the company sees, and what it never sees"),
    _("What happens on a change of role and on departure"),
]


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener",
        url_schemes={"http", "https", "mailto"},
    ).strip()


def plain_text(html: str) -> str:
    # Block tags become line breaks so that the diff works paragraph by paragraph.
    for tag in ("</p>", "</h2>", "</h3>", "</li>", "<br>"):
        html = html.replace(tag, tag + "\n")
    text = nh3.clean(html, tags=set())
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def is_empty(html: str) -> bool:
    return not plain_text(html).strip()


def content_hash(body_fr: str, body_en: str) -> str:
    canonical = json.dumps({"en": body_en, "fr": body_fr}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def template_body() -> str:
    """A new charter starts from the required sections, so none is forgotten."""
    return "\n".join(f"<h2>{section}</h2>\n<p></p>" for section in REQUIRED_SECTIONS)


@dataclass(frozen=True)
class ChangedLine:
    kind: str  # "added", "removed" or "same"
    text: str


def changes(old_html: str, new_html: str) -> list[ChangedLine]:
    old, new = plain_text(old_html).splitlines(), plain_text(new_html).splitlines()
    result = []
    for line in difflib.ndiff(old, new):
        code, text = line[:2], line[2:]
        if code == "+ ":
            result.append(ChangedLine("added", text))
        elif code == "- ":
            result.append(ChangedLine("removed", text))
        elif code == "  ":
            result.append(ChangedLine("same", text))
    return result
