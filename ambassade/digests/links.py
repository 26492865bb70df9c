"""The addresses a digest carries: absolute, and the share button signed.

The "Partager" button goes through /digest/share/<signed>/: the signature names the item
(and the person it was sent to) so the link cannot be bent into an open redirect; it
logs nobody in, it lands on the composer, which asks to sign in if needed.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "ambassade.digests.share"
# A digest stays in an inbox a while; its buttons keep working for two months.
SHARE_LINK_MAX_AGE = 60 * 24 * 3600


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL.rstrip("/") + path


def share_link(person_id: int, item_id: int) -> str:
    signed = signing.dumps({"p": person_id, "i": item_id}, salt=SALT, compress=True)
    return absolute(reverse("digests:share", args=[signed]))


def item_of_share_link(signed: str) -> int | None:
    try:
        value = signing.loads(signed, salt=SALT, max_age=SHARE_LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    item_id = value.get("i") if isinstance(value, dict) else None
    return item_id if isinstance(item_id, int) else None


def unsubscribe_link(token: str) -> str:
    return absolute(reverse("digests:unsubscribe", args=[token]))


def site_domain() -> str:
    """The host of BASE_URL, for Message-ID."""
    return settings.BASE_URL.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
