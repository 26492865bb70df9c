"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import EntryReason

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
    }
)

display.register("entry_reason", EntryReason.choices)
