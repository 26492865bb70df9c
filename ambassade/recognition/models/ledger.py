"""The points ledger: append-only entries, the rules that produce them, and each person's
choices (appearing on boards, showing badges).

An entry is never edited or deleted: a correction is a new entry pointing at the one it
corrects. Two balances come from the entries: lifetime points (``points``, what was
earned, never spent) and spendable points (``spendable``, what rewards may still take).
Earning moves both; requesting a reward moves only the spendable balance, and a cancelled
request gives it back.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import DomainEvent, Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Program


class RuleKind(models.TextChoices):
    """What earns points; one rule of each kind per program."""

    SHARE = "share", _("A share published or posted through a share link")
    PERSONAL = "personal", _("A personal message (bonus on a share)")
    CLICKS = "clicks", _("Human clicks on my links, by milestones")
    CONVERSION = "conversion", _("A conversion from my link")
    SUGGESTION = "suggestion", _("A suggestion accepted")
    MODULE = "module", _("A training module passed")
    CONTRIBUTION = "contribution", _("A contribution recognised")
    FIELD_REPORT = "field_report", _("A field report found useful")


class EntryReason(models.TextChoices):
    """Why an entry is in the ledger: a rule, or one of the moves that are not rules."""

    SHARE = "share", _("Share")
    PERSONAL = "personal", _("Personal message")
    CLICKS = "clicks", _("Human clicks")
    CONVERSION = "conversion", _("Conversion")
    SUGGESTION = "suggestion", _("Suggestion accepted")
    MODULE = "module", _("Training module passed")
    CONTRIBUTION = "contribution", _("Contribution recognised")
    FIELD_REPORT = "field_report", _("Field report found useful")
    CHALLENGE = "challenge", _("Challenge completed")
    CORRECTION = "correction", _("Correction")
    REWARD = "reward", _("Reward requested")
    REWARD_RETURNED = "reward_returned", _("Reward cancelled, points returned")


class RecognitionSettings(models.Model):
    class Boards(models.TextChoices):
        RANKED = "ranked", _("Ranked boards of those who opted in")
        BANDS = "bands", _("Bands only: each person sees where they stand, nobody is ranked")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="recognition_settings"
    )
    boards = models.CharField(
        _("boards"), max_length=8, choices=Boards.choices, default=Boards.RANKED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recognition settings")

    def __str__(self) -> str:
        return f"recognition settings of {self.organisation_id}"


class PointRule(models.Model):
    """How many points one kind of action earns in one program, and how often a day."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="point_rules")
    kind = models.CharField(_("rule"), max_length=16, choices=RuleKind.choices)
    points = models.PositiveIntegerField(_("points"))
    # Entries of this rule per person and day (UTC) at most; None: no cap.
    daily_cap = models.PositiveSmallIntegerField(_("at most a day"), null=True, blank=True)
    # For the clicks rule: points every this many human clicks on one link.
    milestone = models.PositiveIntegerField(_("every (human clicks)"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="point_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.points}"


class LedgerEntry(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ledger_entries")
    # None for what is not one program's (a reward, a correction of the whole balance).
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=EntryReason.choices)
    points = models.IntegerField(_("points"), default=0)  # lifetime balance
    spendable = models.IntegerField(_("spendable points"), default=0)
    # What the entry came from, unique per organisation ("share_target:12", "link:4:30",
    # "reward_request:7"): a redelivered event or a rerun job finds it and adds nothing.
    key = models.CharField(max_length=120)
    event = models.ForeignKey(
        DomainEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Plain facts for the person's list ("item": title, "network", "clicks": 30...).
    detail = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="ledger_entry_once"),
        ]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="ledger_person_time"),
            models.Index(fields=["organisation", "occurred_at"], name="ledger_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.reason} {self.points:+d}"


class Profile(models.Model):
    """A person's choices about recognition; the row is also what a spend locks."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="recognition")
    # Off by default, as individual figures are: nobody appears by name without choosing to.
    on_boards = models.BooleanField(_("show me by name on the boards"), default=False)
    show_badges = models.BooleanField(_("show my badges on my page"), default=True)
    # Executives and experts are compared among themselves (set by HR or an admin).
    executive = models.BooleanField(_("executive board"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recognition profile")

    def __str__(self) -> str:
        return f"recognition profile of {self.person_id}"
