"""Ambassador programs: objectives and targets, ambassador types, the versioned charter,
invitations, and the enrolments that only ever start from an accepted charter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class Objective(models.TextChoices):
    BRAND_AWARENESS = "brand_awareness", _("Brand awareness")
    EMPLOYER_BRAND = "employer_brand", _("Employer brand and recruitment")
    SALES = "sales", _("Sales")
    INTERNAL_ENGAGEMENT = "internal_engagement", _("Internal engagement")


class Metric(models.TextChoices):
    SHARES = "shares", _("Shares")
    HUMAN_CLICKS = "human_clicks", _("Human clicks")
    UNIQUE_VISITORS = "unique_visitors", _("Unique visitors")
    POTENTIAL_REACH = "potential_reach", _("Potential reach")
    PARTICIPATION_RATE = "participation_rate", _("Participation rate (%)")
    MONTHLY_ACTIVE_RATE = "monthly_active_rate", _("Monthly active rate (%)")
    ENGAGEMENT = "engagement", _("Engagement")
    APPLICATIONS = "applications", _("Applications")
    CONVERSIONS = "conversions", _("Conversions")


class Program(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list)
    owners = models.ManyToManyField(
        Person, related_name="owned_programs", blank=True, verbose_name=_("owners")
    )
    working_group = models.ManyToManyField(
        Person, related_name="program_working_groups", blank=True, verbose_name=_("working group")
    )
    open_to_alumni = models.BooleanField(
        _("open to alumni"),
        default=False,
        help_text=_("Former employees who stayed alumni ambassadors may be invited to it."),
    )
    self_service = models.BooleanField(
        _("people may ask to join"),
        default=False,
        help_text=_("Employees see the program in their space and may ask for an invitation."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["status", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="program_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def objective_labels(self) -> list[str]:
        labels = dict(Objective.choices)
        return [str(labels.get(code, code)) for code in self.objectives]


class KpiTarget(models.Model):
    """A goal only; the measured values come from analytics."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("metric"), max_length=32, choices=Metric.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["period_start", "metric", "id"]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.target}"

    def clean(self) -> None:
        errors = {}
        if self.target is not None and self.target <= 0:
            errors["target"] = _("The target must be greater than zero.")
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = _("The end of the period must be after its start.")
        if errors:
            raise ValidationError(errors)


class AmbassadorKind(models.TextChoices):
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    MISSION = "mission", _("Ambassador by mission")
    DESIGNATED = "designated", _("Designated ambassador")
    SUPPORTER = "supporter", _("Supporter")
    DE_FACTO = "de_facto", _("De facto representative")
    ALUMNI = "alumni", _("Alumni ambassador")
    # People outside the company (independent sellers, distributors), people.Membership.
    PARTNER = "partner", _("Partner ambassador")


# Kinds whose ambassadors accept a charter of their own instead of the program's general
# one (docs/decisions/0039-alumni-ambassadors.md): alumni, and partners (docs/partners.md).
KINDS_WITH_OWN_CHARTER = frozenset({AmbassadorKind.ALUMNI.value, AmbassadorKind.PARTNER.value})


def charter_kind(kind: str) -> str:
    """The charter an ambassador of this kind accepts: "" for the program's general one."""
    return kind if kind in KINDS_WITH_OWN_CHARTER else ""


class AmbassadorType(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ambassador_types"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AmbassadorKind.choices)
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Empty: the standard name.")
    )
    description = models.TextField(_("description"), blank=True)
    required_training = models.TextField(_("required training"), blank=True)
    counts_in_evaluation = models.BooleanField(
        _("contributions count in evaluation"), default=False
    )
    posting_guidance = models.TextField(_("posting guidance"), blank=True)
    may_contact = models.BooleanField(
        _("may be invited by the company"),
        default=True,
        help_text=_(
            "Off: never contacted automatically; only given information and the invitation "
            "when they ask."
        ),
    )

    class Meta:
        verbose_name = _("ambassador type")
        verbose_name_plural = _("ambassador types")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="ambassador_kind_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(self.get_kind_display())


class CharterVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    # Empty: the program's general charter; a kind of KINDS_WITH_OWN_CHARTER: the charter
    # that kind of ambassador accepts (the alumni's, for one). Numbers run across both.
    ambassador_kind = models.CharField(
        _("for"),
        max_length=32,
        choices=AmbassadorKind.choices,
        blank=True,
        help_text=_("Empty: the charter of every ambassador of the program."),
    )
    body_fr = models.TextField(_("charter in French"))
    body_en = models.TextField(_("charter in English"))
    # What the editor wrote, in Markdown; the bodies above are its sanitised rendering, the
    # text people read and whose fingerprint they accept. Empty for versions written in
    # HTML before the charter moved to Markdown: their body is then the text to edit.
    source_fr = models.TextField(_("charter in French, as written"), blank=True)
    source_en = models.TextField(_("charter in English, as written"), blank=True)
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_("Shown to ambassadors who accepted an earlier version."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="charter_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.program} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def audience_label(self) -> str:
        if not self.ambassador_kind:
            return str(_("Every ambassador"))
        return str(self.get_ambassador_kind_display())

    def source_for(self, language: str) -> str:
        if language.startswith("fr"):
            return self.source_fr or self.body_fr
        return self.source_en or self.body_en

    def body_for(self, language: str) -> str:
        if language.startswith("fr"):
            return self.body_fr or self.body_en
        return self.body_en or self.body_fr


class InvitationCampaign(models.Model):
    """A batch of invitations sent by HR, with automatic reminders."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=120)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=2, validators=[MaxValueValidator(5)]
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation campaign")
        verbose_name_plural = _("invitation campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    class Source(models.TextChoices):
        HR = "hr", _("Human resources")
        MANAGER = "manager", _("Manager")
        SELF_SERVICE = "self_service", _("Asked by the person")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    OPEN = (Status.SENT, Status.OPENED)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    ambassador_type = models.ForeignKey(
        AmbassadorType, on_delete=models.PROTECT, related_name="+", verbose_name=_("as")
    )
    campaign = models.ForeignKey(
        InvitationCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    source = models.CharField(_("from"), max_length=16, choices=Source.choices)
    invited_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    # Only the SHA-256 of the link's secret: a database leak gives no working link.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # The link lets someone without a usable password choose one, once: set when it did.
    link_used_at = models.DateTimeField(null=True, blank=True)
    # The last time the person asked for a new link (expired or used): limits such requests.
    renewal_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=models.Q(status__in=["sent", "opened"]),
                name="one_open_invitation_per_program",
            )
        ]
        indexes = [models.Index(fields=["program", "status"], name="invitation_program_status")]

    def __str__(self) -> str:
        return f"{self.person} → {self.program}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN and self.expires_at > timezone.now()


class Enrolment(models.Model):
    """A person's voluntary membership of a program, started by accepting the charter."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused until the new charter is accepted")
        ENDED = "ended", _("Ended")

    class History(models.TextChoices):
        ATTRIBUTED = "attributed", _("Keep my name on my past contributions")
        ANONYMISED = "anonymised", _("Anonymise my past contributions")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    ambassador_type = models.ForeignKey(
        AmbassadorType,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("ambassador type"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    accepted_version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, null=True, related_name="+"
    )
    individual_visibility = models.BooleanField(
        _("managers may see my individual figures"), default=False
    )
    # Asked only for types whose contributions count in evaluation; off until the person
    # turns it on, and they may turn it off again at any time.
    contribution_report_consent = models.BooleanField(
        _("my contribution report may be used for my annual review"), default=False
    )
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    history_choice = models.CharField(
        _("history after leaving"), max_length=16, choices=History.choices, blank=True
    )
    disconnect_accounts = models.BooleanField(
        _("disconnect my accounts when leaving"), null=True, blank=True
    )
    # A change of position asks the person to confirm their type; nothing changes meanwhile.
    review_reason = models.CharField(_("to review because"), max_length=300, blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    suggested_type = models.ForeignKey(
        AmbassadorType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last reminder to accept a new charter: at most one a day per person.
    reacceptance_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["program", "person"], name="enrolment_once")]
        indexes = [models.Index(fields=["program", "status"], name="enrolment_program_status")]

    def __str__(self) -> str:
        return f"{self.person} · {self.program}"

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.ENDED

    @property
    def needs_review(self) -> bool:
        return self.is_current and self.review_requested_at is not None


class CharterAcceptance(models.Model):
    """Proof of consent: who accepted which exact text, when, and from where (never an IP)."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="acceptances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="charter_acceptances")
    version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    content_hash = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    user_agent_family = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        ordering = ["-accepted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} accepted {self.version}"
