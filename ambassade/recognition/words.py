"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import Criterion, EntryReason

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
        "recognition.badge_created": _("%(actor)s created the badge %(target)s"),
        "recognition.badge_changed": _("%(actor)s edited the badge %(target)s"),
        "recognition.badge_retired": _("%(actor)s retired the badge %(target)s"),
        "recognition.badges_shown": _("%(actor)s chose to show their badges to colleagues"),
        "recognition.badges_hidden": _("%(actor)s chose to hide their badges from colleagues"),
    }
)

display.register("entry_reason", EntryReason.choices)
display.register("badge_criterion", Criterion.choices)
