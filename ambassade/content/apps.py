from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "ambassade.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        # The receiver of "organisation created" connects on import.
        from ambassade.content import receivers, search  # noqa: F401

        search.register()
