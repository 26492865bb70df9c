from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "ambassade.recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from ambassade.core import display
        from ambassade.recognition import subscribers  # noqa: F401 (registers them)
        from ambassade.recognition.models import EntryReason

        display.register("entry_reason", EntryReason.choices)
