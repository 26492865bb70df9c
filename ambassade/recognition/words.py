"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import EntryReason, RuleKind

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
        "recognition.rule_updated": _("%(actor)s changed a point rule of %(target)s"),
    }
)

display.register("entry_reason", EntryReason.choices)
# A reason is a noun ("Share" alone would read as the button's verb in French).
display.register("entry_reason", [(EntryReason.SHARE, pgettext_lazy("points reason", "Share"))])
display.register("point_rule", RuleKind.choices)
display.register_fields(
    {
        "point_rule": (_("Point rule"), "point_rule"),
        "points": (_("Points"), None),
        "daily_cap": (_("At most a day"), None),
        "milestone": (_("Every (human clicks)"), None),
    }
)
