"""The words of Slack and Teams channels: how their audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "chat_channel.connected": _("%(actor)s connected the chat channel %(target)s"),
        "chat_channel.changed": _("%(actor)s changed the chat channel %(target)s"),
        "chat_channel.disconnected": _("%(actor)s disconnected the chat channel %(target)s"),
        "chat_channel.tested": _("%(actor)s sent a test message to %(target)s"),
        "chat_channel.paused": _("%(actor)s paused the chat channel %(target)s after failures"),
    }
)
