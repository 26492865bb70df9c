"""Tracked links: one short code per share target, its clicks and daily counters.

No visitor's network address is ever stored: a click carries a hash of (the day's
secret salt, address, browser, organisation), and the salt of a day is deleted the next
day, so yesterday's hashes can no longer be recomputed from an address.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


def new_pixel_secret() -> str:
    return secrets.token_urlsafe(32)


class WithdrawnResponse(models.TextChoices):
    GONE = "gone", _("Answer “410 Gone”")
    FALLBACK = "fallback", _("Send visitors to the fallback page")


class TrackingSettings(models.Model):
    """How an organisation's links are built and answered; one row per organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="tracking_settings"
    )
    base_url = models.URLField(
        _("short-link address"),
        max_length=200,
        blank=True,
        help_text=_(
            "The organisation's own short domain, for example https://go.example.com. "
            "Empty: the address of this instance."
        ),
    )
    utm_source = models.CharField(_("UTM source (utm_source)"), max_length=100, default="{network}")
    utm_medium = models.CharField(
        _("UTM medium (utm_medium)"), max_length=100, default="ambassador"
    )
    utm_campaign = models.CharField(
        _("UTM campaign (utm_campaign)"), max_length=100, default="{campaign}"
    )
    utm_content = models.CharField(_("UTM content (utm_content)"), max_length=100, default="{item}")
    attribution_parameter = models.CharField(
        _("attribution parameter"),
        max_length=40,
        blank=True,
        help_text=_(
            "Name of a parameter added to every destination with the link's reference, "
            "for a career site or CRM to report conversions. Empty: none (the default)."
        ),
    )
    withdrawn_response = models.CharField(
        _("when an item is withdrawn"),
        max_length=16,
        choices=WithdrawnResponse.choices,
        default=WithdrawnResponse.GONE,
    )
    fallback_url = models.URLField(
        _("fallback page"),
        max_length=2048,
        blank=True,
        help_text=_("Where visitors of a withdrawn item's link are sent, if chosen above."),
    )
    pixel_secret = models.CharField(max_length=64, default=new_pixel_secret, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tracking settings")
        verbose_name_plural = _("tracking settings")

    def __str__(self) -> str:
        return f"{self.organisation}"


class TrackedLink(models.Model):
    """The short link of one share target (one person, one content item, one network).

    The destination is built once, at creation; nothing in a request changes it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tracked_links"
    )
    code = models.CharField(max_length=16, unique=True)
    destination = models.URLField(_("destination"), max_length=2048)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
        verbose_name=_("person"),
    )
    network = models.CharField(_("network"), max_length=32)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    # The Sharing feature turns these two into foreign keys to content.ContentItem and
    # to its share targets; until then they are plain references.
    content_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    share_target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # A link of no content item (a field report's lead) names its program here, so that
    # its conversions count in the program's figures; a plain reference, as above.
    program_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Copied at creation for the page link-preview crawlers get.
    preview_title = models.CharField(max_length=300, blank=True)
    preview_description = models.CharField(max_length=1000, blank=True)
    preview_image_url = models.URLField(max_length=2048, blank=True)
    preview_site_name = models.CharField(max_length=200, blank=True)
    # The image's size (og:image:width/height: LinkedIn lays the card out before it
    # fetches the image) and the item's language (og:locale, the page's lang).
    preview_image_width = models.PositiveIntegerField(null=True, blank=True)
    preview_image_height = models.PositiveIntegerField(null=True, blank=True)
    preview_language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="link_org_created")]

    def __str__(self) -> str:
        return self.code


class Click(models.Model):
    """One request to a link, flagged rather than deleted when it is not a human click."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    time = models.DateTimeField()
    day = models.DateField()
    network = models.CharField(max_length=32)
    is_human = models.BooleanField(default=False)
    is_preview = models.BooleanField(default=False)
    is_bot = models.BooleanField(default=False)
    is_prefetch = models.BooleanField(default=False)
    is_head = models.BooleanField(default=False)
    is_self = models.BooleanField(default=False)
    is_flood = models.BooleanField(default=False)
    # Hash of (daily salt, address, browser, organisation): never the address itself.
    visitor = models.CharField(max_length=32, blank=True)
    referrer_host = models.CharField(max_length=100, blank=True)
    device = models.CharField(max_length=16, blank=True)
    browser = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=2, blank=True)
    # Given to the event at the redirect: the same click reaching the database twice (Redis
    # accepted it but answered too late, so it went to the spool file as well) is stored
    # once. Empty for clicks buffered before events had one.
    event_id = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["link", "day", "visitor"], name="click_link_day_visitor"),
            models.Index(fields=["organisation", "day"], name="click_org_day"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id}@{self.time:%Y-%m-%d %H:%M}"


class DailyLinkStats(models.Model):
    """Counters of one link for one day (UTC), kept up to date by the ingestion."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    human_clicks = models.PositiveIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)
    previews = models.PositiveIntegerField(default=0)
    bots = models.PositiveIntegerField(default=0)
    self_clicks = models.PositiveIntegerField(default=0)
    prefetches = models.PositiveIntegerField(default=0)
    floods = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="daily_link_stats_once")
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.day}"


class DailyVisitor(models.Model):
    """A visitor (the day's hash) among the human clicks of a link on a day.

    The unique visitors counter grows by the rows the ingestion manages to insert here:
    the constraint, not a look at the clicks already stored, decides who is new, so two
    ingestions running at once cannot both count the same visitor."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "day", "visitor"], name="daily_visitor_once")
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.day}"


class ChangedDay(models.Model):
    """A day whose link counters or conversions changed: the change log of the rollup.

    Written in the same transaction as the change, so it becomes visible exactly when
    the change does, however late that transaction commits; the analytics rollup
    recomputes the day and deletes the rows it read. No unique day: a row the rollup
    has already read must never stand for a change it has not seen."""

    day = models.DateField()

    def __str__(self) -> str:
        return str(self.day)


class OrphanVisit(models.Model):
    """A request for a code that does not exist (a typo, a truncated link, a scanner)."""

    time = models.DateTimeField()
    code = models.CharField(max_length=40)
    referrer_host = models.CharField(max_length=100, blank=True)
    is_bot = models.BooleanField(default=False)
    event_id = models.UUIDField(null=True, blank=True, unique=True)  # as Click.event_id

    class Meta:
        ordering = ["-time"]

    def __str__(self) -> str:
        return f"{self.code}@{self.time:%Y-%m-%d %H:%M}"


class VisitorSalt(models.Model):
    """The secret salt of one day (UTC); yesterday's is deleted by a periodic job."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class IngestedBatch(models.Model):
    """A spool file (or a stream position) whose clicks are stored: never counted twice."""

    name = models.CharField(max_length=200, unique=True)
    events = models.PositiveIntegerField(default=0)
    # The stream's row keeps the identifier of the last entry stored.
    position = models.CharField(max_length=40, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ConversionKind(models.TextChoices):
    APPLICATION = "application", _("Application submitted")
    LEAD = "lead", _("Lead")
    SIGNUP = "signup", _("Sign-up")
    OTHER = "other", _("Other")


class Conversion(models.Model):
    """An outcome a career site or CRM reports, attributed to a link (person, item, network)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="conversions")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=32)
    content_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=ConversionKind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    idempotency_key = models.CharField(max_length=100)
    source = models.CharField(max_length=8)  # "api", "pixel" or "field" (a field report)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="conversion_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.link_id}"
