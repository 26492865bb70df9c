from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ambassade.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ambassade.accounts import signals

        signals.connect()
