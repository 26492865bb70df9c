from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ambassade.people"
    verbose_name = _("People")

    def ready(self) -> None:
        # The people kind of the console's global search.
        from ambassade.people import search

        search.register()
