"""Problem reports: a situation an ambassador reports, its handling and its log."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.sharing.models import ShareTarget


class ProblemKind(models.TextChoices):
    HOSTILE_REPLIES = "hostile_replies", _("Hostile replies")
    MISTAKE = "mistake", _("A mistake in a post")
    JOURNALIST = "journalist", _("A journalist's question")
    COMPLAINT = "complaint", _("A customer complaint")
    OTHER = "other", _("Something else")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACKNOWLEDGED = "acknowledged", _("Being handled")
    RESOLVED = "resolved", _("Resolved")


class ReportSettings(models.Model):
    """How fast a report must be acknowledged, per severity (the defaults when absent).
    Critical and high run on the clock; low counts working days (Monday to Friday)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="report_settings"
    )
    critical_minutes = models.PositiveIntegerField(
        _("critical: answer within (minutes)"), default=60
    )
    high_minutes = models.PositiveIntegerField(_("high: answer within (minutes)"), default=240)
    low_working_days = models.PositiveSmallIntegerField(
        _("low: answer within (working days)"), default=2
    )

    def __str__(self) -> str:
        return f"report settings of {self.organisation_id}"


class ProblemReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="problem_reports")
    # The coach when it was reported: they are told, and they keep seeing it.
    coach = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.ForeignKey(
        ShareTarget, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=ProblemKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"), max_length=5000)
    link = models.URLField(_("link"), max_length=2048, blank=True)
    screenshot = models.CharField(max_length=300, blank=True)  # a name in the default storage
    coach_may_delete = models.BooleanField(_("my coach may delete the post"), default=False)
    status = models.CharField(
        max_length=14, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), max_length=5000, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="incidents_due"),
        ]

    def __str__(self) -> str:
        return f"problem report {self.pk}"

    def owner_ids(self) -> set[int]:
        """The owners of its program: told and let in once the report is escalated."""
        if self.program_id is None:
            return set()
        if "_owner_ids" not in self.__dict__:
            owners = Program.owners.through.objects.filter(program_id=self.program_id)
            self.__dict__["_owner_ids"] = set(owners.values_list("person_id", flat=True))
        return set(self.__dict__["_owner_ids"])


class Step(models.TextChoices):
    OPENED = "opened", _("Reported")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    NOTE = "note", _("Note")
    ESCALATED = "escalated", _("Escalated to the program's owners")
    POST_DELETED = "post_deleted", _("Post deleted from the network")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")


class ReportEntry(models.Model):
    """One step of a report's log: who, when, what."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    step = models.CharField(max_length=14, choices=Step.choices)
    text = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.step} of report {self.report_id}"
