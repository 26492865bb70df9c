"""The notification kinds of problem reports (registered with the notifications app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ambassade.notifications import kinds
from ambassade.notifications.kinds import EMAIL, IN_APP, PUSH, Kind

EVERY_CHANNEL = frozenset({IN_APP, EMAIL, PUSH})
REPORTED = "problem_reported"
REPORTED_CRITICAL = "problem_reported_critical"
ESCALATED = "problem_escalated"
RESOLVED = "problem_resolved"

KINDS = [
    Kind(
        REPORTED,
        _("A problem reported"),
        _("An ambassador you coach, or of your organisation, reports a problem."),
        _("You get this because you coach this ambassador or handle problem reports."),
        urgent=False,
        defaults=frozenset({IN_APP, EMAIL}),
        console_defaults=frozenset({IN_APP, EMAIL}),
    ),
    Kind(
        REPORTED_CRITICAL,
        _("A critical problem reported"),
        _("An ambassador reports a critical problem: it needs an answer within the hour."),
        _("You get this because you coach this ambassador or handle problem reports."),
        urgent=True,
        defaults=EVERY_CHANNEL,
        console_defaults=EVERY_CHANNEL,
    ),
    Kind(
        ESCALATED,
        _("A problem report is overdue"),
        _("A problem report in a program you own was not answered in time."),
        _("You get this because you own the program of this report."),
        urgent=True,
        defaults=EVERY_CHANNEL,
        console_defaults=EVERY_CHANNEL,
    ),
    Kind(
        RESOLVED,
        _("My problem report is resolved"),
        _("A problem you reported is resolved, and how."),
        _("You get this because you reported this problem."),
        urgent=False,
        defaults=frozenset({IN_APP, EMAIL}),
        console_defaults=frozenset({IN_APP, EMAIL}),
    ),
]


def register_kinds() -> None:
    for kind in KINDS:
        kinds.register(kind)
