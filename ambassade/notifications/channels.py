"""The channels a notification can go out on, and how a channel plugs in.

The notifications app owns in-app and e-mail; apps above it add their own channel (web
push, for instance) by registering a sender in their AppConfig.ready, so that this app
never imports them::

    from ambassade.notifications import channels

    channels.register("push", send_push)

A sender gets the person and one ``Message`` and returns True when the message left (or
was handed to the service that delivers it), False when the person cannot be reached on
that channel (no device, no address); it raises for a failure worth retrying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ambassade.people.models import Person


@dataclass(frozen=True)
class Message:
    notification_id: int
    kind: str  # a notification kind (notifications.kinds), never shown as such
    title: str  # already in the person's language
    body: str
    url: str  # absolute: the thing itself, or the page that fixes the problem
    reason: str  # why the person gets it, in their language ("You follow featured content")
    settings_url: str  # absolute: where to turn this kind off
    urgent: bool  # urgent messages ignore quiet hours and the daily cap


Sender = Callable[[Person, Message], bool]
_SENDERS: dict[str, Sender] = {}


def register(name: str, send: Sender) -> None:
    _SENDERS[name] = send


def sender(name: str) -> Sender | None:
    return _SENDERS.get(name)


def names() -> list[str]:
    return list(_SENDERS)
