"""Field reports: what an ambassador saw or heard outside (a market signal, a lead...),
the queue it is routed to, and how its owners handled it."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.core.roles import Role
from ambassade.people.models import Department, Person
from ambassade.programs.models import Program


class ReportKind(models.TextChoices):
    MARKET_SIGNAL = "market_signal", _("Market signal")
    CUSTOMER_FEEDBACK = "customer_feedback", _("Customer feedback")
    COMPETITOR_NEWS = "competitor_news", _("Competitor news")
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    SALES_LEAD = "sales_lead", _("Sales lead")
    EVENT_IDEA = "event_idea", _("Event idea")
    OTHER = "other", _("Something else")


# The kinds whose owner may record a conversion with a value.
LEAD_KINDS = frozenset({ReportKind.SALES_LEAD, ReportKind.PARTNERSHIP_LEAD})


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    USEFUL = "useful", _("Useful")
    NOT_PURSUED = "not_pursued", _("Not pursued")
    DUPLICATE = "duplicate", _("Already reported")


# A report with one of these statuses is closed: its status is its outcome.
CLOSED = frozenset({ReportStatus.USEFUL, ReportStatus.NOT_PURSUED, ReportStatus.DUPLICATE})

# The roles a queue may belong to (a coach or a plain ambassador owns no queue).
OWNER_ROLES = (
    Role.ADMIN,
    Role.MARKETING,
    Role.HR,
    Role.INTERNAL_COMMS,
    Role.SALES_MANAGEMENT,
)

DEFAULT_ROUTES: dict[str, str] = {
    ReportKind.MARKET_SIGNAL: Role.MARKETING,
    ReportKind.CUSTOMER_FEEDBACK: Role.MARKETING,  # until the organisation chooses
    ReportKind.COMPETITOR_NEWS: Role.MARKETING,
    ReportKind.PARTNERSHIP_LEAD: Role.MARKETING,
    ReportKind.SALES_LEAD: Role.SALES_MANAGEMENT,
    ReportKind.EVENT_IDEA: Role.INTERNAL_COMMS,
    ReportKind.OTHER: Role.ADMIN,
}


class FieldSettings(models.Model):
    """The organisation's answer target and retention period (the defaults when absent)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="field_settings"
    )
    answer_days = models.PositiveSmallIntegerField(_("answer within (days)"), default=7)
    retention_days = models.PositiveSmallIntegerField(
        _("erase personal data after closing (days)"), default=180
    )

    def __str__(self) -> str:
        return f"field settings of {self.organisation_id}"


class Route(models.Model):
    """Which queue a kind of report goes to: a role, and optionally one department."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    role = models.CharField(_("owning role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="field_route_once")
        ]

    def __str__(self) -> str:
        return f"route of {self.kind}"


class FieldReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="field_reports"
    )
    # The reporter's program when they filed it: a lead's conversion counts in it.
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    text = models.TextField(_("what you saw or heard"), max_length=5000, blank=True)
    link = models.URLField(_("link"), max_length=2048, blank=True)
    photo = models.CharField(max_length=300, blank=True)  # a name in the default storage
    may_contact = models.BooleanField(_("I may be contacted about it"), default=False)
    personal_data = models.BooleanField(_("contains personal data"), default=False)
    # The queue, as routed when it was filed: a later change of routing moves nothing.
    owner_role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True
    )
    filed_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # A lead converted: its value, and the conversion recorded through the tracking app.
    converted_at = models.DateTimeField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    tracked_link_code = models.CharField(max_length=16, blank=True)
    # When the text, link and photo of a report with personal data were erased.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "owner_role", "status"], name="field_queue"),
            models.Index(fields=["organisation", "reporter"], name="field_reporter"),
        ]

    def __str__(self) -> str:
        return f"field report {self.pk}"

    @property
    def is_lead(self) -> bool:
        return self.kind in LEAD_KINDS

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def value_or_zero(self) -> Decimal:
        return self.value or Decimal("0")
