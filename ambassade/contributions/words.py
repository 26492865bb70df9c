"""The words of contributions: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "contribution.added": _("%(actor)s logged a contribution (%(target)s)"),
        "contribution.changed": _("%(actor)s edited a contribution (%(target)s)"),
        "contribution.deleted": _("%(actor)s deleted a contribution (%(target)s)"),
        "contribution_report.downloaded": _(
            "%(actor)s downloaded a contribution report (%(target)s)"
        ),
    }
)
