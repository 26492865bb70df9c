"""The figures of field reports, per kind and queue department, over a period.

Defined once here, and on the page in the same words:

- reports: filed in the period;
- answer due: those whose answer target (calendar days after filing) has passed, plus
  those answered sooner; answered in time: of these, answered within the target;
- outcomes: how many are useful, not pursued, already reported, still open;
- converted: leads recorded as converted, and their value per currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ambassade.core.models import Organisation
from ambassade.field.actions import settings_of
from ambassade.field.models import CLOSED, FieldReport, ReportStatus

PERIOD_DAYS = 90


@dataclass
class Row:
    kind: str
    department: str  # "" when the queue is the whole role
    reports: int = 0
    due: int = 0
    in_time: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    converted: int = 0
    value: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def share_in_time(self) -> int | None:
        """Percent answered within the target, None when no answer was due yet."""
        return round(100 * self.in_time / self.due) if self.due else None

    @property
    def values(self) -> list[tuple[str, Decimal]]:
        """The converted value per currency (a template cannot iterate a defaultdict)."""
        return sorted(self.value.items())

    @property
    def open(self) -> int:
        return self.reports - sum(self.outcomes[status] for status in CLOSED)


@dataclass(frozen=True)
class Figures:
    rows: list[Row]
    answer_days: int
    period_days: int


def figures(organisation: Organisation, *, days: int = PERIOD_DAYS) -> Figures:
    now = timezone.now()
    answer_days = settings_of(organisation.pk).answer_days
    target = timedelta(days=answer_days)
    rows: dict[tuple[str, str], Row] = {}
    reports = FieldReport.objects.filter(
        organisation=organisation, filed_at__gte=now - timedelta(days=days)
    ).values_list(
        "kind",
        "department__name",
        "status",
        "filed_at",
        "answered_at",
        "converted_at",
        "value",
        "currency",
    )
    for kind, department, status, filed, answered, converted, value, currency in reports:
        key = (kind, department or "")
        row = rows.setdefault(key, Row(kind, department or ""))
        row.reports += 1
        if answered is not None or filed + target <= now:
            row.due += 1
            if answered is not None and answered - filed <= target:
                row.in_time += 1
        if status in CLOSED:
            row.outcomes[status] += 1
        if converted is not None:
            row.converted += 1
            row.value[currency] += value or Decimal("0")
    ordered = sorted(rows.values(), key=lambda row: (row.kind, row.department))
    return Figures(ordered, answer_days, days)


def as_dict(row: Row) -> dict[str, object]:
    return {
        "kind": row.kind,
        "department": row.department,
        "reports": row.reports,
        "answer_due": row.due,
        "answered_in_time": row.in_time,
        "share_answered_in_time": row.share_in_time,
        "useful": row.outcomes[ReportStatus.USEFUL],
        "not_pursued": row.outcomes[ReportStatus.NOT_PURSUED],
        "duplicate": row.outcomes[ReportStatus.DUPLICATE],
        "open": row.open,
        "converted": row.converted,
        "converted_value": {code: str(amount) for code, amount in sorted(row.value.items())},
    }
