"""Building a link's destination once: the content's URL, its own parameters, our UTM ones."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
PLACEHOLDERS = ("network", "campaign", "item", "organisation")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PARAMETER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")
MAX_URL = 2048


def check_template(template: str) -> None:
    unknown = [name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS]
    if unknown or template.count("{") != template.count("}"):
        raise ValidationError(
            _("Use only these placeholders: %(names)s.")
            % {"names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)}
        )


def check_parameter_name(name: str) -> None:
    if name and not _PARAMETER_NAME.fullmatch(name):
        raise ValidationError(
            _("Use letters, digits, dots, dashes and underscores, starting with a letter.")
        )


def render(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), template).strip()


def check_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValidationError(_("This is not a valid web address.")) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > MAX_URL:
        raise ValidationError(_("Use an absolute http:// or https:// address."))
    if any(ord(char) < 33 for char in url):
        raise ValidationError(_("This is not a valid web address."))
    return url


def with_parameters(url: str, parameters: dict[str, str]) -> str:
    """The URL with these parameters set: the URL's other parameters stay exactly as they
    were (same order, same encoding); a parameter of ours replaces one of the same name."""
    parts = urlsplit(url)
    ours = {name: value for name, value in parameters.items() if value}
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and unquote_plus(piece.split("=", 1)[0]) not in ours
    ]
    added = [f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in ours.items()]
    return urlunsplit(parts._replace(query="&".join(kept + added)))


def build(url: str, templates: dict[str, str], values: dict[str, str]) -> str:
    destination = with_parameters(
        check_url(url), {name: render(templates[name], values) for name in UTM_FIELDS}
    )
    if len(destination) > MAX_URL:
        raise ValidationError(_("The address with its parameters is too long."))
    return destination
