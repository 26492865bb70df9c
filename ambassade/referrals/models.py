"""A candidate referred for a job offer, and what is left of the referrals that are gone.

The candidate's name and address are kept only while they are awaited (a few days, see
settings.REFERRAL_UNCONFIRMED_DAYS) and once they have confirmed: a "no thanks" or no
answer erases the row, and only a count per offer remains (``ReferralOutcome``).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.tracking.models import TrackedLink


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class Referral(models.Model):
    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting the candidate's confirmation")
        CONFIRMED = "confirmed", _("Confirmed by the candidate")
        APPLIED = "applied", pgettext_lazy("referral status", "Applied")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    offer = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("job offer")
    )
    referrer = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("referred by")
    )
    candidate_name = models.CharField(_("candidate's name"), max_length=150)
    # Lower-cased: the same address twice for one offer is one referral.
    candidate_email = models.EmailField(_("candidate's e-mail address"), max_length=254)
    note = models.TextField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AWAITING
    )
    # Part of the candidate's links (with the row's id): a link stays unguessable even
    # if the signing key leaked, and dies with the row.
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    # The tracked link the confirmation page gives (network "referral"): the career site
    # reports the application with its code.
    link = models.ForeignKey(
        TrackedLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("referred"), auto_now_add=True)
    # Set when the one mail to the candidate is claimed: never a second one.
    mailed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "candidate_email"], name="referrals_one_per_candidate_and_offer"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"]),
            models.Index(fields=["referrer", "-created_at"]),
        ]

    def __str__(self) -> str:
        # Written into audit rows: never the candidate's name or address.
        return f"referral #{self.pk}"


class ReferralOutcome(models.Model):
    """How many referrals of an offer ended without the candidate: no personal data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    offer = models.OneToOneField(
        ContentItem, on_delete=models.CASCADE, related_name="referral_outcome"
    )
    declined = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    erased = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"referral outcomes of item {self.offer_id}"
