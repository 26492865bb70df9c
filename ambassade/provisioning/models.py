"""Provisioning by an identity provider (SCIM 2.0): its tokens, the organisation's
choice of what a group is, what was removed through SCIM, and the events it caused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class ProvisioningToken(models.Model):
    """The identity provider's bearer token. Only its hash is kept; it opens /scim/v2/ of
    its organisation and nothing else (the API's tokens live in another table)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="provisioning_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class GroupMapping(models.TextChoices):
    DEPARTMENTS = "departments", _("Departments")
    SITES = "sites", _("Sites")


class ProvisioningSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="provisioning_settings"
    )
    groups_are = models.CharField(
        _("SCIM groups are"),
        max_length=16,
        choices=GroupMapping.choices,
        default=GroupMapping.DEPARTMENTS,
    )

    def __str__(self) -> str:
        return f"{self.organisation}: {self.groups_are}"


class RemovedUser(models.Model):
    """A person the identity provider deleted: they departed, their row stays, and SCIM
    answers 404 for them from then on (RFC 7644 §3.6) until the provider creates them
    again."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person_id} removed {self.removed_at:%Y-%m-%d}"


class ScimGroup(models.Model):
    """What SCIM knows of a department or site beyond its name: the provider's external
    id, and whether the provider deleted the group. A deleted group is only unmapped: the
    department or site stays in Ambassade with its people, and SCIM answers 404 for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=GroupMapping.choices)
    object_id = models.PositiveBigIntegerField()
    external_id = models.CharField(max_length=255, blank=True)
    unmapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "object_id"], name="scim_group_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Outcome(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")
    REMOVED = "removed", _("Removed")
    REFUSED = "refused", _("Refused")


class ProvisioningEvent(models.Model):
    """What a provider's write did, for the report page. No request body is kept: the
    changed attributes' names, the refusal's reason, and which resource."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(
        ProvisioningToken, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    method = models.CharField(max_length=8)
    resource_type = models.CharField(max_length=16)
    # The SCIM id ("" for a refused creation), and the person or group's name when known.
    resource_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    status = models.PositiveSmallIntegerField()
    changed = models.JSONField(default=list)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="provisioning_event_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.resource_type} {self.outcome}"
