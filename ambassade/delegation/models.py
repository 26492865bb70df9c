"""Delegated drafts: a delegate writes posts that a principal (an executive, an expert)
approves, edits or refuses before anything is published in their name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.models import Share, SocialAccount


class Delegation(models.Model):
    """The principal lets the delegate write drafts for them, until either ends it.

    Ended delegations stay: the principal sees their past delegates at all times.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    principal = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="delegations_received"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "delegate"],
                condition=models.Q(ended_at__isnull=True),
                name="delegation_one_current",
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("delegate")), name="delegation_not_oneself"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "principal"]),
            models.Index(fields=["organisation", "delegate"]),
        ]

    def __str__(self) -> str:
        return f"delegation #{self.pk}"

    @property
    def current(self) -> bool:
        return self.ended_at is None


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Draft(models.Model):
    """A post the delegate wrote for the principal. It becomes a share (the principal's
    own, through sharing's create_share) only when the principal approves it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="drafts")
    item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("content")
    )
    text = models.TextField(_("text"))
    accounts = models.ManyToManyField(SocialAccount, related_name="+", verbose_name=_("accounts"))
    suggested_at = models.DateTimeField(_("suggested time"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DraftStatus.choices, default=DraftStatus.PENDING
    )
    written_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The principal changed the text before approving it.
    edited = models.BooleanField(default=False)
    # The principal's optional word to the delegate when refusing.
    note = models.TextField(_("note"), blank=True)
    share = models.ForeignKey(Share, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"draft #{self.pk}"
