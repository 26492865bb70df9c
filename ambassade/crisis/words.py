"""The words of the crisis app: its audit rows, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.crisis.models import AtEnd, AtStart, Step

register_sentences(
    {
        "crisis.started": _("%(actor)s started a crisis (%(target)s)"),
        "crisis.updated": _("%(actor)s updated a crisis (%(target)s)"),
        "crisis.ended": _("%(actor)s ended a crisis (%(target)s)"),
    }
)
display.register("crisis_step", Step.Kind.choices)
display.register("crisis_at_start", AtStart.choices)
display.register("crisis_at_end", AtEnd.choices)
