"""A device (one browser on one phone or computer) that receives a person's notifications."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class PushSubscription(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="push_devices")
    # The push service's address for this browser: it identifies the device, so one
    # endpoint belongs to one person at a time.
    endpoint = models.URLField(_("endpoint"), max_length=2048, unique=True)
    # The browser's ECDH public key (P-256, base64url) and its authentication secret:
    # messages are encrypted for them (RFC 8291), the push service cannot read them.
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    label = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Failures since the last message that went through (reset on success).
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("push device")
        verbose_name_plural = _("push devices")

    def __str__(self) -> str:
        return self.label or str(_("A browser"))
