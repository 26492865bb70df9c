from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "ambassade.programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        # Lifecycle receivers (departure, change of position) connect on import.
        # Subscribers of domain events (core/events.py) register on import.
        from ambassade.programs import audiences, receivers, search, subscribers  # noqa: F401

        audiences.register()
        search.register()
