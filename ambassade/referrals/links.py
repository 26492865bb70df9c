"""The candidate's two links (confirm, no thanks): signed, and bound to the row's secret.

No account is needed: the signature says the link was made here, the secret (random,
kept on the row) that it is this referral's, so an erased referral's links are dead.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ambassade.referrals.models import Referral

SALT = "ambassade.referrals.candidate"


def token_for(referral: Referral) -> str:
    return signing.dumps([referral.pk, referral.secret], salt=SALT, compress=False)


def referral_of(token: str) -> Referral | None:
    """The referral the token stands for, or None (forged, erased, or not a token)."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return (
        Referral.objects.select_related("organisation", "offer", "referrer", "link")
        .filter(pk=value[0], secret=str(value[1]))
        .first()
    )


def absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def confirm_url(referral: Referral) -> str:
    return absolute(reverse("referrals:confirm", args=[token_for(referral)]))


def decline_url(referral: Referral) -> str:
    return absolute(reverse("referrals:decline", args=[token_for(referral)]))
