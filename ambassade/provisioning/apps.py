from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    name = "ambassade.provisioning"
    verbose_name = _("Provisioning")

    def ready(self) -> None:
        # The words of the audit codes and of the event outcomes.
        from ambassade.provisioning import words  # noqa: F401
