from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "ambassade.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Subscribing to the domain events and naming the audit codes.
        from ambassade.sharing.crypto import register_encrypted_field
        from ambassade.webhooks import subscribers, words  # noqa: F401

        # Key rotation (rotate_sharing_keys) re-encrypts the signing secrets too.
        register_encrypted_field("webhooks.WebhookEndpoint", "secrets_encrypted")
