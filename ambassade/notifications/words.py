"""The words of notifications: how its audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "notification_preferences.changed": _(
            "%(actor)s changed their notification settings (%(target)s)"
        ),
    }
)
