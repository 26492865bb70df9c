"""The words of delegation: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "delegation.granted": _("%(actor)s named a delegate who writes for them (%(target)s)"),
        "delegation.ended": _("%(actor)s ended a delegation (%(target)s)"),
        "delegation.draft_written": _("%(actor)s wrote a draft for someone else (%(target)s)"),
        "delegation.draft_approved": _("%(actor)s approved a draft written for them (%(target)s)"),
        "delegation.draft_refused": _("%(actor)s refused a draft written for them (%(target)s)"),
    }
)


def _register_names() -> None:
    from ambassade.delegation.models import DraftStatus

    display.register("delegation_draft_status", DraftStatus.choices)


_register_names()
