from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "ambassade.tracking"
    verbose_name = _("Tracked links")

    def ready(self) -> None:
        # Subscribers of domain events (core/events.py) register on import.
        from ambassade.tracking import subscribers  # noqa: F401
