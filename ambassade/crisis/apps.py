from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "ambassade.crisis"
    verbose_name = _("Crisis")

    def ready(self) -> None:
        # The share gate (sharing closed but for the spokespeople), the notice kinds, the
        # subscribers that send the notices, and the words of the audit codes.
        from ambassade.crisis import gates, notices, subscribers, words  # noqa: F401
        from ambassade.programs.selectors import register_share_gate

        register_share_gate(gates.crisis_gate)
        notices.register_kinds()
