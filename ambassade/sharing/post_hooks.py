"""What apps above sharing add to a person's posts, without sharing importing them.

- *Deletion permits*: besides its author, who else may delete a published post from the
  network. The incidents app registers one: the author's coach, when the author said so
  in a problem report about that post. A permit answers ``True`` to allow; nothing else
  allows.
- *Post links*: links shown on each post of "My posts" (the incidents app's "Report a
  problem"). A link answers ``None`` for posts it does not apply to.

Both are registered from the higher app's ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ambassade.core.authz import Actor
    from ambassade.sharing.models import ShareTarget

DeletionPermit = Callable[["Actor", "ShareTarget"], bool]


@dataclass(frozen=True)
class PostLink:
    label: str
    url: str


PostLinkMaker = Callable[["ShareTarget"], PostLink | None]

_permits: list[DeletionPermit] = []
_links: list[PostLinkMaker] = []


def register_deletion_permit(permit: DeletionPermit) -> None:
    """Registering the same function twice keeps one."""
    if permit not in _permits:
        _permits.append(permit)


def register_post_link(maker: PostLinkMaker) -> None:
    if maker not in _links:
        _links.append(maker)


def permitted_by_others(actor: Actor, target: ShareTarget) -> bool:
    """Whether a registered permit lets this actor, who is not the author, delete it."""
    return any(permit(actor, target) for permit in _permits)


def links_for(target: ShareTarget) -> list[PostLink]:
    return [link for maker in _links if (link := maker(target)) is not None]
