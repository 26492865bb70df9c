"""A post as each network will show it: the one function the composer's preview, the
length check when a share is created and the publishing task all read.

``post_for`` builds the ``Post`` a network module receives (the person's message with
the disclosure the organisation requires on that network, the tracked link, the card);
``shown`` adds what the network displays (``Network.shown_text``: the text with the
link appended, or the commentary alone on LinkedIn) and the count that network
applies (content/limits.py). Because the publishing task builds its ``Post`` with the
same ``post_for`` and the network module sends ``shown_text``, the preview cannot
disagree with what is posted (docs/decisions/0019-composer-preview.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ambassade.content import guidelines, limits
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.networks.base import REGISTRY, Post, with_link
from ambassade.sharing.registry import display_name
from ambassade.tracking import codes
from ambassade.tracking.actions import short_url_base

DESCRIPTION_LENGTH = 300  # what the cards of the four networks show at most


@dataclass(frozen=True)
class Shown:
    network: str
    name: str  # the network's name as people write it
    text: str  # exactly the text the network will hold
    link: str
    title: str  # the link card
    description: str
    image: str  # the item's stored image (storage name), "" without one
    count: limits.Count
    disclosure_added: str  # the organisation's disclosure, added because it was missing
    link_in_text: bool  # False where the network shows the link only as the card
    # How the network counts, from its rule: every URL as this many characters (None:
    # as typed); what a person sees as one character as one.
    url_length: int | None = None
    counts_graphemes: bool = False

    @property
    def excess(self) -> int:
        return max(self.count.used - self.count.limit, 0)


def link_placeholder(organisation: Organisation) -> str:
    """A short link as long as a real one, for previews written before the code is drawn
    (the same length, so that every network counts it as it will count the real one)."""
    return f"{short_url_base(organisation)}/{'•' * codes.LENGTH}"


def post_for(
    organisation: Organisation,
    item: ContentItem,
    message: str,
    network: str,
    link: str,
    *,
    image: bytes | None = None,
    image_type: str = "",
    idempotency_key: str = "",
    person: Person | None = None,
) -> tuple[Post, str]:
    """The ``Post`` for one network and the disclosure that was added to it ("" if none).

    An alumni ambassador's post also carries the organisation's alumni disclosure, added
    when the message does not already say it (docs/decisions/0039-alumni-ambassadors.md).
    """
    check = content_selectors.check_message(organisation, message, network)
    text, added = check.text, check.disclosure_added
    if person is not None and person.alumni and person.employment_status == "left":
        required = content_selectors.alumni_disclosure(organisation, item.language)
        alumni_check = guidelines.check(text, [], required_disclosure=required)
        text = alumni_check.text
        added = " ".join(part for part in (added, alumni_check.disclosure_added) if part)
    post = Post(
        text=text,
        link=link,
        title=item.title,
        description=item.description[:DESCRIPTION_LENGTH],
        image=image,
        image_type=image_type,
        idempotency_key=idempotency_key,
        language=item.language,
    )
    return post, added


def shown_text(post: Post, network: str) -> str:
    network_class = REGISTRY.get(network)
    return network_class.shown_text(post) if network_class is not None else with_link(post)


def shown(
    organisation: Organisation,
    item: ContentItem,
    message: str,
    network: str,
    link: str,
    person: Person | None = None,
) -> Shown:
    post, disclosure = post_for(organisation, item, message, network, link, person=person)
    text = shown_text(post, network)
    rule = limits.RULES.get(network)
    return Shown(
        network=network,
        name=display_name(network),
        text=text,
        link=link,
        title=post.title,
        description=post.description,
        image=item.image,
        count=limits.count(text, network),
        disclosure_added=disclosure,
        link_in_text=bool(link) and link in text,
        url_length=rule.url_length if rule else None,
        counts_graphemes=rule.graphemes if rule else False,
    )
