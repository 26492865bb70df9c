from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatChannelsConfig(AppConfig):
    name = "ambassade.chat_channels"
    verbose_name = _("Slack and Teams channels")

    def ready(self) -> None:
        # The event subscribers and the periodic jobs register themselves on import.
        from ambassade.chat_channels import subscribers, tasks  # noqa: F401
        from ambassade.sharing.crypto import register_encrypted_field

        # Key rotation (rotate_sharing_keys) re-encrypts the webhook addresses too.
        register_encrypted_field("chat_channels.ChatChannel", "webhook")
