"""The contribution report for an annual review: one person, one program, one period.

It exists only for ambassador types whose charter says contributions count in
evaluation, and only with the person's consent (``Enrolment.contribution_report_consent``);
everything else is refused with a message that names the condition that fails. Rendering
(PDF, CSV) is in ``report_files.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.analytics.figures import SUMS, derived
from ambassade.analytics.influence import Influence, influence
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.selection import utc_today
from ambassade.analytics.value import settings_for
from ambassade.contributions.models import Contribution
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program

FORMATS = ("pdf", "csv")
# Three years, a leap day included: enough for any review cycle, not a whole career.
MAX_PERIOD_DAYS = 3 * 365 + 1
DEFAULT_PERIOD_DAYS = 365


class ReportRequestError(ValueError):
    """The parameters are wrong (dates, period, format): a 400 with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReportRefused(PermissionDenied):
    """The report may not be made; ``condition`` is enrolment, counts_in_evaluation or consent."""

    def __init__(self, message: str, condition: str) -> None:
        super().__init__(message)
        self.message = message
        self.condition = condition


@dataclass(frozen=True)
class ReportRequest:
    program_id: int
    start: date
    end: date
    file_format: str


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, today included."""
    end = today or utc_today()
    return end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end


def _date(text: Any, problem: str) -> date:
    try:
        return date.fromisoformat(str(text or "").strip())
    except ValueError:
        raise ReportRequestError(problem) from None


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ReportRequestError(_("The end of the period is before its start."))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ReportRequestError(
            _("The period is longer than 3 years: choose a shorter one (%(days)d days at most).")
            % {"days": MAX_PERIOD_DAYS}
        )


def parse_request(params: Mapping[str, Any]) -> ReportRequest:
    """program, start, end and format from a query string; ReportRequestError when wrong."""
    program = str(params.get("program") or params.get("program_id") or "").strip()
    if not program.isdigit():
        raise ReportRequestError(_("Choose the program of the report."))
    start = _date(
        params.get("start"), _("Give the start of the period as YYYY-MM-DD, such as 2026-01-01.")
    )
    end = _date(
        params.get("end"), _("Give the end of the period as YYYY-MM-DD, such as 2026-12-31.")
    )
    check_period(start, end)
    file_format = str(params.get("format") or "pdf").lower()
    if file_format not in FORMATS:
        raise ReportRequestError(_("The format is pdf or csv."))
    return ReportRequest(program_id=int(program), start=start, end=end, file_format=file_format)


def eligible_enrolment(person: Person, program: Program, *, own: bool) -> Enrolment:
    """The enrolment the report is about, or ReportRefused naming the condition that fails."""
    enrolment = (
        Enrolment.objects.filter(person=person, program=program)
        .select_related("ambassador_type")
        .first()
    )
    names = {"name": person.full_name, "program": program.name}
    if enrolment is None:
        message = (
            _("You are not enrolled in “%(program)s”: there is no report for this program.")
            if own
            else _(
                "%(name)s is not enrolled in “%(program)s”: there is no report for this program."
            )
        )
        raise ReportRefused(message % names, "enrolment")
    names["type"] = enrolment.ambassador_type.label
    if not enrolment.ambassador_type.counts_in_evaluation:
        message = (
            _(
                "You take part in “%(program)s” as “%(type)s”, a type whose contributions do "
                "not count in evaluation: there is no contribution report for it."
            )
            if own
            else _(
                "%(name)s takes part in “%(program)s” as “%(type)s”, a type whose contributions "
                "do not count in evaluation: there is no contribution report for it."
            )
        )
        raise ReportRefused(message % names, "counts_in_evaluation")
    if not enrolment.contribution_report_consent:
        message = (
            _(
                "You have not allowed your contribution report for “%(program)s”. You can allow "
                "it on My programs, and withdraw it at any time."
            )
            if own
            else _(
                "%(name)s has not agreed that their contribution report for “%(program)s” be "
                "used for annual reviews. Only they can give this consent."
            )
        )
        raise ReportRefused(message % names, "consent")
    return enrolment


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | Decimal


@dataclass(frozen=True)
class Report:
    person: Person
    program: Program
    ambassador_type: str
    start: date
    end: date
    generated_at: datetime
    figures: list[Figure]
    influence: Influence
    contributions: list[Contribution]


def _figures(person: Person, program: Program, start: date, end: date) -> list[Figure]:
    sums = DailyShareStats.objects.filter(
        organisation_id=person.organisation_id,
        person=person,
        program=program,
        day__range=(start, end),
    ).aggregate(
        **{
            **SUMS,
            "conversion_value": Coalesce(
                Sum("conversion_value"), Value(Decimal("0")), output_field=DecimalField()
            ),
        }
    )
    totals = derived(sums)
    currency = settings_for(person.organisation_id).currency
    return [
        Figure(_("Shares published through Ambassade"), totals["shares_published"]),
        Figure(_("Shares declared through a share link"), totals["shares_declared"]),
        Figure(_("Human clicks"), totals["human_clicks"]),
        Figure(_("Unique visitors"), totals["unique_visitors"]),
        Figure(
            _("Potential reach (audiences that could have seen the posts)"),
            totals["potential_reach"],
        ),
        Figure(_("Engagement (likes, reposts, replies)"), totals["engagement"]),
        Figure(_("Conversions"), totals["conversions"]),
        Figure(
            _("Conversion value (%(currency)s)") % {"currency": currency},
            Decimal(sums["conversion_value"]).quantize(Decimal("0.01")),
        ),
    ]


def build(person: Person, program: Program, start: date, end: date, *, own: bool) -> Report:
    """The report, once the rules allow it (ReportRefused otherwise)."""
    check_period(start, end)
    enrolment = eligible_enrolment(person, program, own=own)
    contributions = list(
        Contribution.objects.filter(person=person, occurred_on__range=(start, end))
        .filter(Q(program=program) | Q(program__isnull=True))
        .order_by("occurred_on", "pk")
    )
    return Report(
        person=person,
        program=program,
        ambassador_type=enrolment.ambassador_type.label,
        start=start,
        end=end,
        generated_at=timezone.now(),
        figures=_figures(person, program, start, end),
        influence=influence(person, program, start, end),
        contributions=contributions,
    )
