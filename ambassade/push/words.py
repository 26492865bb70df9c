"""The words of push: how its audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "push.subscribed": _("%(actor)s turned on notifications on a device (%(target)s)"),
        "push.unsubscribed": _("%(actor)s turned off notifications on a device (%(target)s)"),
        "push.device_gone": _(
            "%(actor)s forgot a device its push service no longer knows (%(target)s)"
        ),
        "push.device_moved": _(
            "%(actor)s gave a device to the person now signed in on it (%(target)s)"
        ),
    }
)
