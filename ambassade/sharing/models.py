"""Connected social accounts, shares and their targets, and the organisation's sharing rules."""

from __future__ import annotations

import uuid
from datetime import time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing import crypto
from ambassade.sharing.networks.base import Credentials


class SocialAccount(models.Model):
    """A person's own account on a network. Its secrets are encrypted and never shown."""

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECTION = "needs_reconnection", _("Needs reconnection")
        DISCONNECTED = "disconnected", _("Disconnected")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="social_accounts")
    network = models.CharField(_("network"), max_length=32)
    remote_id = models.CharField(max_length=300)
    handle = models.CharField(_("account"), max_length=300)
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    audience_measured_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    last_error = models.CharField(max_length=500, blank=True)
    # MultiFernet token of a JSON object (crypto.py); empty once disconnected.
    secrets = models.TextField(blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    rate_limited_until = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "remote_id"], name="sharing_account_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.network} {self.handle}"

    def __repr__(self) -> str:  # never the secrets
        return f"<SocialAccount {self.pk} {self.network} {self.handle}>"

    @property
    def credentials(self) -> Credentials:
        return Credentials(secrets=crypto.decrypt(self.secrets), expires_at=self.expires_at)

    def store(self, credentials: Credentials) -> None:
        self.secrets = crypto.encrypt(credentials.secrets)
        self.expires_at = credentials.expires_at

    @property
    def healthy(self) -> bool:
        return self.status == self.Status.CONNECTED


class ExpiryWarning(models.Model):
    """A warning that an account's token ends in ``days`` days, recorded once per token
    (``expires_at``) and threshold by the daily ``warn_expiring_accounts`` job."""

    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="expiry_warnings"
    )
    days = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()
    warned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "days", "expires_at"], name="sharing_expiry_warned_once"
            )
        ]

    def __str__(self) -> str:
        return f"account {self.account_id} warned {self.days} days before {self.expires_at}"


class NetworkApp(models.Model):
    """An organisation's app credentials for a network that needs one (LinkedIn, X).

    ``client_secret`` is encrypted like account secrets and never shown again.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=32)
    client_id = models.CharField(_("client id"), max_length=300)
    client_secret = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network"], name="sharing_app_unique")
        ]

    def __str__(self) -> str:
        return f"{self.network} app"

    def config(self) -> dict[str, str]:
        secret = crypto.decrypt(self.client_secret).get("client_secret", "")
        return {"client_id": self.client_id, "client_secret": secret}


class SharingSettings(models.Model):
    class SimilarityMode(models.TextChoices):
        NUDGE = "nudge", _("Ask to personalise (nudge)")
        BLOCK = "block", _("Refuse until personalised (block)")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sharing_settings"
    )
    similarity_threshold = models.PositiveSmallIntegerField(
        _("similarity threshold (%)"),
        default=90,
        help_text=_("A message this similar to the suggestion or to colleagues' is a copy."),
    )
    similarity_mode = models.CharField(
        max_length=8, choices=SimilarityMode.choices, default=SimilarityMode.NUDGE
    )
    stagger_minutes = models.PositiveSmallIntegerField(
        _("minimum gap between posts of one item on one network (minutes)"), default=10
    )
    daily_cap = models.PositiveSmallIntegerField(
        _("posts per person per day and network"), default=3
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True, default=time(22))
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True, default=time(7))

    def __str__(self) -> str:
        return f"sharing settings of {self.organisation_id}"


class PublishingPause(models.Model):
    """The organisation's pause switch (a crisis): nothing is published while it is on,
    except the posts of the ``exempt`` people (the spokespeople an app above names)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="publishing_pause"
    )
    paused = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by_label = models.CharField(max_length=200, blank=True)
    exempt = models.ManyToManyField(Person, blank=True, related_name="+")

    def __str__(self) -> str:
        return "paused" if self.paused else "running"


class QueueSlot(models.Model):
    """One slot of a person's weekly schedule ("add to my queue"), in their time zone."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="queue_slots")
    weekday = models.PositiveSmallIntegerField()  # 0 Monday … 6 Sunday
    at = models.TimeField()

    class Meta:
        ordering = ["weekday", "at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "weekday", "at"], name="sharing_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.at}"


class Share(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="shares")
    message = models.TextField(_("message"), max_length=3000)
    similarity = models.PositiveSmallIntegerField(null=True, blank=True)  # % to the closest
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "item"])]

    def __str__(self) -> str:
        return f"share {self.pk} of item {self.item_id}"


class TargetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    QUEUED = "queued", _("Queued")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    DECLARED = "declared", _("Shared through a link")
    TO_VERIFY = "to_verify", _("To verify")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    PAUSED = "paused", _("Paused")
    DELETED = "deleted", _("Deleted from the network")
    # Held by a pause, then handed back: it waits for its author to schedule or cancel it.
    RETURNED = "returned", _("Returned to you")


WAITING = (
    TargetStatus.SCHEDULED,
    TargetStatus.QUEUED,
    TargetStatus.PAUSED,
    TargetStatus.RETURNED,
)
CANCELLABLE = (*WAITING, TargetStatus.DRAFT, TargetStatus.FAILED)


class FailureKind(models.TextChoices):
    NONE = "", _("None")
    NEEDS_RECONNECTION = "needs_reconnection", _("Needs reconnection")
    RATE_LIMITED = "rate_limited", _("Rate limited")
    REJECTED = "rejected", _("Rejected")
    TRANSIENT = "transient", _("Temporary error")
    NOT_ALLOWED = "not_allowed", _("Not allowed")


class ShareTarget(models.Model):
    """One network of one share: its own schedule, tracked link and outcome."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="targets")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        SocialAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    network = models.CharField(_("network"), max_length=32)  # also share-link networks
    status = models.CharField(
        max_length=12, choices=TargetStatus.choices, default=TargetStatus.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tries = models.PositiveSmallIntegerField(default=0)
    remote_id = models.CharField(max_length=500, blank=True)
    remote_url = models.URLField(max_length=2048, blank=True)
    failure_kind = models.CharField(
        max_length=20, choices=FailureKind.choices, blank=True, default=""
    )
    failure_reason = models.CharField(max_length=500, blank=True)
    tracked_link = models.ForeignKey(
        "tracking.TrackedLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # When its author (or their coach, with their consent) deleted it from the network.
    deleted_at = models.DateTimeField(null=True, blank=True)
    likes = models.PositiveIntegerField(null=True, blank=True)
    reposts = models.PositiveIntegerField(null=True, blank=True)
    replies = models.PositiveIntegerField(null=True, blank=True)
    impressions = models.PositiveIntegerField(null=True, blank=True)
    # The account's audience when the post went out: potential reach is counted at the
    # time of each share, not with whatever the audience grew to since.
    audience = models.PositiveIntegerField(null=True, blank=True)
    metrics_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "network", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.network} target {self.pk}"

    @property
    def network_name(self) -> str:
        from ambassade.sharing.registry import display_name  # the registry imports the models

        return display_name(self.network)


class PublishAttempt(models.Model):
    """Written (and committed) before each network call: proof that a call may have happened."""

    target = models.ForeignKey(ShareTarget, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)  # published, found, failure kind
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["target", "number"], name="sharing_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of target {self.target_id}"


class InstanceApp(models.Model):
    """Ambassade's own registration on one server of a federated network (Mastodon).

    A module that registers itself per instance (``register_app(instance, redirect_uri)``)
    gets ``config["app_for"]`` from ``registry.network_for``: the stored registration, or
    a new one stored here, its secret encrypted like account secrets.
    """

    network = models.CharField(max_length=32)
    instance = models.CharField(max_length=300)
    redirect_uri = models.CharField(max_length=500)
    client_id = models.CharField(max_length=300)
    secrets = models.TextField(blank=True, editable=False)  # client secret and the rest
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "instance", "redirect_uri"], name="sharing_instance_app_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} app on {self.instance}"
