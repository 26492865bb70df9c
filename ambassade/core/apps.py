from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ambassade.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Periodic jobs register themselves when their tasks module is imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        # Each app's words (names of its codes, audit sentences) register on import.
        autodiscover_modules("words")
