"""The kinds of notification: what each is called, why a person gets it, where it goes by default.

A kind is a code stored on each notification and preference; people only ever see its
translated name and description. ``defaults`` are the channels a kind uses when the person
has not chosen; console people (no ambassador role) get content kinds in the app only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IN_APP = "in_app"
EMAIL = "email"
PUSH = "push"


@dataclass(frozen=True)
class Kind:
    code: str
    name: Promise
    description: Promise
    reason: Promise  # "why you get this", said in every message
    urgent: bool
    defaults: frozenset[str]  # for an ambassador
    console_defaults: frozenset[str]  # for someone without the ambassador role


_ALL = frozenset({IN_APP, EMAIL, PUSH})

# A kind whose e-mail is sent by the app that owns the matter (the suggestion's verdict by
# content, the charter's re-acceptance by programs: replies and contractual notices that
# go out whatever the person chose) has no e-mail here: one mail per matter, never two.
KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            "featured_content",
            _("Featured content"),
            _("Content your organisation features, in a program you are in."),
            _("You get this because you are in a program this featured content targets."),
            urgent=False,
            # By e-mail it comes in the digest (digests app): not in a mail of its own too.
            defaults=frozenset({IN_APP, PUSH}),
            console_defaults=frozenset({IN_APP}),
        ),
        Kind(
            "new_content",
            _("New content in my programs"),
            _("Something new to share, published in a program you are in."),
            _("You get this because you are in a program this content targets."),
            urgent=False,
            defaults=frozenset({IN_APP}),
            console_defaults=frozenset({IN_APP}),
        ),
        Kind(
            "share_failed",
            _("My post failed"),
            _("A post of yours was not published, and what fixes it."),
            _("You get this because a post you shared was not published."),
            urgent=True,
            defaults=_ALL,
            console_defaults=_ALL,
        ),
        Kind(
            "account_health",
            _("Account needs reconnecting"),
            _("A connected account stopped working or is about to expire."),
            _("You get this because one of your connected accounts needs you."),
            urgent=True,
            defaults=_ALL,
            console_defaults=_ALL,
        ),
        Kind(
            "suggestion_decided",
            _("My suggestion was decided"),
            _("Your suggestion of content was accepted or declined."),
            _("You get this because you suggested this content."),
            urgent=False,
            defaults=frozenset({IN_APP, PUSH}),
            console_defaults=frozenset({IN_APP, PUSH}),
        ),
        Kind(
            "charter_published",
            _("New charter to accept"),
            _("A program you are in published a new charter that asks for your agreement."),
            _("You get this because you are in this program."),
            urgent=False,
            defaults=frozenset({IN_APP, PUSH}),
            console_defaults=frozenset({IN_APP, PUSH}),
        ),
        Kind(
            "welcome",
            _("Welcome to a program"),
            _("A word of welcome when you join a program."),
            _("You get this because you joined this program."),
            urgent=False,
            defaults=frozenset({IN_APP, EMAIL}),
            console_defaults=frozenset({IN_APP, EMAIL}),
        ),
        Kind(
            "nudge",
            _("Reminder after a long absence"),
            _("At most one friendly reminder when you have not opened the app for three weeks."),
            _("You get this because you have not opened Ambassade for three weeks."),
            urgent=False,
            defaults=frozenset({IN_APP, EMAIL}),
            console_defaults=frozenset({IN_APP, EMAIL}),
        ),
    ]
}


def register(kind: Kind) -> None:
    """Add a kind owned by an app above notifications (coaching, training…), from its
    ``ready``: its people get its preferences, caps and noise report like any other."""
    known = KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"notification kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind


def get(code: str) -> Kind:
    return KINDS[code]


def channel_names() -> list[str]:
    """In-app, e-mail, and the channels apps above registered (push, for instance)."""
    from ambassade.notifications import channels

    return [IN_APP] + [name for name in channels.names() if name != IN_APP]


def channel_label(name: str) -> str:
    labels = {IN_APP: _("In the app"), EMAIL: _("E-mail"), PUSH: _("Phone and browser")}
    return str(labels.get(name, name))


def defaults_for(kind: Kind, ambassador: bool) -> frozenset[str]:
    return kind.defaults if ambassador else kind.console_defaults
