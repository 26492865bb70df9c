"""The person's template: their own words around {title} and {link}.

The tracked link is always added by the network module after the text (as for every
post), so ``{link}`` only marks where the person expects it: it is taken out of the text
rather than printing the link twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ambassade.sharing.networks.base import REGISTRY
from ambassade.sharing.registry import display_name

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
KNOWN = ("title", "link")
MIN_OWN_WORDS = 3
MAX_LENGTH = 1000
# What a tracked short link takes when a network counts it as typed, with the blank line
# before it; networks that count every link the same (X, Mastodon) say so in their limits.
LINK_ROOM = 40
WORD = re.compile(r"[^\W\d_]{2,}")


def own_words(template: str) -> list[str]:
    return WORD.findall(PLACEHOLDER.sub(" ", template))


def render(template: str, title: str) -> str:
    """The message of one post: the title in place of {title}, {link} taken out."""
    text = template.replace("{title}", title).replace("{link}", "")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def check(template: str, networks: Iterable[str]) -> str:
    """The template, trimmed, or a ValidationError saying what to change."""
    template = (template or "").strip()
    if not template:
        raise ValidationError(
            {"template": _("Write the message in your own words, with {title} for the title.")}
        )
    if len(template) > MAX_LENGTH:
        raise ValidationError(
            {"template": _("At most %(count)d characters.") % {"count": MAX_LENGTH}}
        )
    unknown = sorted({name for name in PLACEHOLDER.findall(template) if name not in KNOWN})
    if unknown or "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template):
        raise ValidationError(
            {"template": _("Only {title} and {link} can be placed between braces.")}
        )
    if len(own_words(template)) < MIN_OWN_WORDS:
        raise ValidationError(
            {
                "template": _(
                    "Add at least %(count)d words of your own besides {title} and {link}: "
                    "your colleagues' networks should hear you, not a copy."
                )
                % {"count": MIN_OWN_WORDS}
            }
        )
    words_only = render(template, "")
    for network in sorted(set(networks)):
        network_class = REGISTRY.get(network)
        if network_class is None:
            continue
        limits = network_class.limits
        room = (limits.url_length or LINK_ROOM) + 2
        if len(words_only) + room > limits.max_length:
            raise ValidationError(
                {
                    "template": _(
                        "Too long for %(network)s: %(used)d characters with the link, "
                        "%(limit)d at most, before the title."
                    )
                    % {
                        "network": display_name(network),
                        "used": len(words_only) + room,
                        "limit": limits.max_length,
                    }
                }
            )
    return template
