"""The words of tracking: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "link.item_withdrawn": _("%(actor)s withdrew the tracked links of “%(target)s”"),
        "link.withdrawn": _("%(actor)s withdrew a tracked link (%(target)s)"),
        "tracking.settings_changed": _("%(actor)s changed the tracked link settings"),
    }
)
