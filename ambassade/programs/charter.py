"""The charter's text: Markdown rendered and sanitised, its fingerprint, and what changed.

Editors write Markdown (headings, lists, bold, italics, links). HTML written before the
charter moved to Markdown still renders: markdown-it passes HTML blocks through, and nh3
sanitises whatever comes out, so nothing but the allowed tags ever reaches a page.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass

import nh3
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

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


# CommonMark without tables or images; raw HTML accepted only to be sanitised below.
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False}).disable("image")
# Markdown's "#" is the page title; a charter's sections start at level 2.
_HEADING_SHIFT = (("<h1>", "<h2>"), ("</h1>", "</h2>"), ("<h4>", "<h3>"), ("</h4>", "</h3>"))


def render(source: str) -> str:
    """Markdown (or older HTML) as the sanitised HTML shown to people and fingerprinted."""
    html = _MARKDOWN.render(source or "")
    for old, new in _HEADING_SHIFT:
        html = html.replace(old, new)
    return sanitise(html)


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


def template_source(language: str) -> str:
    """A new charter starts from the required sections, each in the language's own words."""
    with translation.override(language):
        return "".join(f"## {section}\n\n\n\n" for section in REQUIRED_SECTIONS)


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
