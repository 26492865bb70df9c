"""The words of field reports: how their audit rows read, and the names of their codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "field.report_filed": _("%(actor)s filed a field report (%(target)s)"),
        "field.report_triaged": _("%(actor)s triaged a field report (%(target)s)"),
        "field.lead_converted": _("%(actor)s recorded a lead as converted (%(target)s)"),
        "field.route_changed": _("%(actor)s changed where a kind of field report goes"),
        "field.settings_changed": _("%(actor)s changed the field reports' settings"),
        "field.report_erased": _(
            "The content of a field report was erased at the end of its retention (%(target)s)"
        ),
    }
)


def _register_names() -> None:
    from ambassade.field.models import ReportKind, ReportStatus

    display.register("field_report_kind", ReportKind.choices)
    display.register("field_report_status", ReportStatus.choices)


_register_names()
