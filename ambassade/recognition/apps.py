from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "ambassade.recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from ambassade.recognition import (  # noqa: F401 (they register themselves)
            badge_personal_data,
            badge_subscribers,
            demo_campaigns,
            earning,
            notices,
            personal_data_campaigns,
            personal_data_draws,
            receivers,
            subscribers,
            words,
        )

        notices.register_kinds()
