from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    name = "ambassade.alumni"
    verbose_name = _("Alumni")

    def ready(self) -> None:
        from ambassade.alumni import words  # noqa: F401
