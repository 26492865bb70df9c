"""Pre-aggregated daily figures: what every dashboard reads instead of the raw tables.

One row per (organisation, day, program, person, item, network); ``rollup.py`` keeps
them up to date by recomputing whole days, and ``ambassade manage rebuild_analytics``
rebuilds them from the raw data.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Department, Person
from ambassade.programs.models import Program


class Counters(models.Model):
    """The figures of a rollup row, the same in the daily rows and in their coarser sums."""

    shares_published = models.PositiveIntegerField(default=0)
    shares_declared = models.PositiveIntegerField(default=0)
    human_clicks = models.PositiveIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)
    potential_reach = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    # Only where the network reports them (X, LinkedIn for pages); zero elsewhere.
    impressions = models.PositiveBigIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)
    conversion_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True


# The counters' columns, in the model's order: the raw statements that add them up.
COUNTER_COLUMNS: tuple[str, ...] = tuple(
    str(field.column) for field in Counters._meta.concrete_fields if not field.primary_key
)


class DailyShareStats(Counters):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # SET_NULL: the program's totals survive a person's erasure.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("daily share figures")
        verbose_name_plural = _("daily share figures")
        indexes = [
            models.Index(fields=["organisation", "program", "day"], name="dss_program_day"),
            models.Index(fields=["person", "day"], name="dss_person_day"),
            models.Index(fields=["day"], name="dss_day"),
            # The filter's list of networks (every dashboard page): read from the index alone.
            models.Index(fields=["organisation", "program", "network"], name="dss_program_network"),
            # Active people (participation, monthly active rate): only the rows with a share,
            # a fraction of the table; "did this member share in the period" is one seek.
            # Network and share counts in the index: the question answered from the index
            # alone, with or without the network filter (no read of the rows themselves).
            models.Index(
                fields=[
                    "organisation",
                    "program",
                    "person",
                    "day",
                    "network",
                    "shares_published",
                    "shares_declared",
                ],
                name="dss_sharers",
                condition=models.Q(shares_published__gt=0) | models.Q(shares_declared__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.program_id} {self.person_id} {self.item_id} {self.network}"


class DailyItemStats(Counters):
    """``DailyShareStats`` summed over people: one row per (program, day, item, network).

    Every page without a filter on people (the program's trend, targets, content and
    networks) reads these: a few dozen rows a day where the daily rows have one per
    person, link and day (a million a year for 5,000 people sharing weekly). The rollup
    writes them from the same computation, day by day, in the same transaction.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("daily item figures")
        verbose_name_plural = _("daily item figures")
        indexes = [
            models.Index(fields=["organisation", "program", "day"], name="dis_program_day"),
            models.Index(fields=["day"], name="dis_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.program_id} {self.item_id} {self.network}"


class DailyProgramStats(Counters):
    """``DailyItemStats`` summed over items: one row per (program, day, network).

    The program page adds up two periods (two years for its 365-day view) per day and
    network; the sums per item have a dozen rows where these have one. Written by the
    rollup with the two others, in the same transaction.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("daily program figures")
        verbose_name_plural = _("daily program figures")
        indexes = [
            models.Index(fields=["organisation", "program", "day"], name="dps_program_day"),
            models.Index(fields=["day"], name="dps_day"),
            # The filter's list of networks (every program page): read from the index alone.
            models.Index(fields=["organisation", "program", "network"], name="dps_program_network"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.program_id} {self.network}"


class PersonRangeStats(Counters):
    """``DailyShareStats`` summed over the dashboards' ranges ending on ``as_of``.

    One row per (program, person, network) and range (30, 90 or 365 days). The people
    page, its API and export, and the members' median of "My figures" add up one row per
    person and network instead of every daily row of the range (365 a member a year).
    The rollup replaces them in the transaction that writes the daily rows, and all of
    them when the day changes; until it has run on a new day the pages read the daily
    rows (``RollupState.person_ranges_on`` says which day these rows are for).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=32, blank=True)
    days = models.PositiveSmallIntegerField()
    as_of = models.DateField()

    class Meta:
        verbose_name = _("figures per person and period")
        verbose_name_plural = _("figures per person and period")
        indexes = [
            models.Index(fields=["organisation", "program", "days"], name="prs_program_days"),
            models.Index(fields=["person"], name="prs_person"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.days} {self.program_id} {self.person_id} {self.network}"


class DailyDepartmentStats(Counters):
    """``DailyShareStats`` of a program's members summed per current department.

    One row per (program, department, day, network): the program page filtered by one
    department reads a few rows a day instead of the daily rows of hundreds of members.
    A member's figures count under the department they are in now, as the filter on the
    daily rows does; ``CountedDepartment`` remembers under which one each member's rows
    were added up, and the rollup adds up again both departments of anyone who moved,
    joined or left (``department_sums``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    network = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("daily department figures")
        verbose_name_plural = _("daily department figures")
        indexes = [
            models.Index(
                fields=["organisation", "program", "department", "day"], name="dds_department_day"
            ),
            models.Index(fields=["day"], name="dds_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.program_id} {self.department_id} {self.network}"


class CountedDepartment(models.Model):
    """The department a program member's rows were added up under in DailyDepartmentStats.

    Plain ids, no foreign keys: a person or department deleted since must still say where
    their figures were counted, so that the rollup takes them out.
    """

    program_id = models.BigIntegerField()
    person_id = models.BigIntegerField()
    department_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("department counted")
        verbose_name_plural = _("departments counted")
        constraints = [
            models.UniqueConstraint(fields=["program_id", "person_id"], name="counted_once")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.person_id} {self.department_id}"


class RollupState(models.Model):
    """Where the incremental rollup stopped: one row, locked while a run recomputes."""

    name = models.CharField(max_length=40, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    # Clicks and conversions are found through tracking's change log (ChangedDay), which
    # a late commit cannot overtake; share targets still by id and dates.
    last_target_id = models.BigIntegerField(default=0)
    # The day whose ranges ``PersonRangeStats`` holds; another day: the pages read daily rows.
    person_ranges_on = models.DateField(null=True, blank=True)
    # Whether DailyDepartmentStats has been filled once (until then: the daily rows).
    departments_ready = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class AnalyticsSettings(models.Model):
    """The organisation's choices for its figures: currency and the small-group rule."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="analytics_settings"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Groups of fewer people than this are merged into "other", and a filter that narrows
    # the figures to fewer people shows nothing: nobody is seen through a group of one.
    small_group = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=5,
        validators=[MinValueValidator(3)],
        help_text=_("Groups of fewer people are merged into “other”. At least 3."),
    )

    class Meta:
        verbose_name = _("analytics settings")
        verbose_name_plural = _("analytics settings")

    def __str__(self) -> str:
        return f"{self.organisation} analytics settings"


class MediaRate(models.Model):
    """What a click and a thousand impressions would have cost in paid media, per network."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=32)
    cost_per_click = models.DecimalField(
        _("cost per click"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cost_per_mille = models.DecimalField(
        _("cost per thousand impressions"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("media rate")
        verbose_name_plural = _("media rates")
        ordering = ["network"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network"], name="media_rate_once")
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.cost_per_click} / {self.cost_per_mille}"


class BrandAccount(models.Model):
    """One of the company's own accounts, the baseline of the amplification figure."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="brand_accounts"
    )
    network = models.CharField(_("network"), max_length=32)
    handle = models.CharField(_("account"), max_length=200)
    followers = models.PositiveIntegerField(_("followers"))
    measured_on = models.DateField(_("followers counted on"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brand account")
        verbose_name_plural = _("brand accounts")
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network", "handle"], name="brand_account_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.handle}"
