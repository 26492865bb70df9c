from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "ambassade.sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        # Every module of sharing/networks/ registers its network on import; receivers of
        # the lifecycle signals (departure, leaving a program) connect on import, subscribers
        # of domain events (core/events.py) register on import.
        from ambassade.sharing import receivers, subscribers  # noqa: F401
        from ambassade.sharing.networks import load_all

        load_all()
