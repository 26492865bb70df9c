"""The words of incidents: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.incidents.models import ProblemKind, ReportStatus, Severity, Step

register_sentences(
    {
        "incidents.report_opened": _("%(actor)s reported a problem (%(target)s)"),
        "incidents.report_acknowledged": _("%(actor)s acknowledged a problem report (%(target)s)"),
        "incidents.report_noted": _("%(actor)s added a note to a problem report (%(target)s)"),
        "incidents.report_resolved": _("%(actor)s resolved a problem report (%(target)s)"),
        "incidents.report_reopened": _("%(actor)s reopened a problem report (%(target)s)"),
        "incidents.report_escalated": _(
            "%(actor)s escalated a problem report to its program's owners (%(target)s)"
        ),
        "incidents.post_deleted": _(
            "%(actor)s deleted the post of a problem report from the network (%(target)s)"
        ),
        "incidents.settings_changed": _("%(actor)s changed the response targets of reports"),
    }
)

display.register("problem_kind", ProblemKind.choices)
display.register("severity", Severity.choices)
display.register("report_status", ReportStatus.choices)
display.register("report_step", Step.choices)
