"""The words of the autopilot: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "autopilot.turned_on": _("%(actor)s turned their autopilot on"),
        "autopilot.changed": _("%(actor)s changed their autopilot"),
        "autopilot.turned_off": _(
            "%(actor)s turned their autopilot off and cancelled what it had queued"
        ),
        "autopilot.post_queued": _("The autopilot queued a post (%(target)s)"),
        "autopilot.post_edited": _("%(actor)s rewrote a post of their autopilot (%(target)s)"),
        "autopilot.settings_changed": _("%(actor)s changed the autopilot's limits"),
    }
)


def _register_names() -> None:
    from ambassade.autopilot.models import Outcome

    display.register("autopilot_outcome", Outcome.choices)


_register_names()
