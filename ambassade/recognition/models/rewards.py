"""The rewards catalogue and the requests people make of it.

A reward costs spendable points and has a stock: the number still available. Requesting
one takes its points (a ledger entry) and one from the stock, in one transaction with
the reward's row locked, so two people racing for the last item cannot both have it. A
cancelled request gives the points and the item back, once.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.recognition.models.ledger import LedgerEntry


class Reward(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    cost = models.PositiveIntegerField(_("cost (points)"), validators=[MinValueValidator(1)])
    # The number still available: requesting takes one, cancelling gives it back.
    stock = models.PositiveIntegerField(_("stock"), default=0)
    # Only people actively enrolled in one of these programs may request it; none: every
    # ambassador of the organisation (anyone actively enrolled in one of its programs).
    eligible = models.ManyToManyField(
        Program, blank=True, related_name="+", verbose_name=_("programs")
    )
    # A retired reward leaves the catalogue; its requests stay.
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["cost", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=1), name="reward_costs_points"),
        ]

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", pgettext_lazy("reward request", "Approved")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled, points returned")


class RewardRequest(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="requests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reward_requests")
    # The cost when requested: a later change of the reward's cost returns what was taken.
    cost = models.PositiveIntegerField(_("cost (points)"))
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    spent = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reward request")
        verbose_name_plural = _("reward requests")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="reward_request_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} ({self.person})"
