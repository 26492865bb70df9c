from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "ambassade.learning"
    verbose_name = _("Training")

    def ready(self) -> None:
        from ambassade.core import display
        from ambassade.learning.gate import training_gate
        from ambassade.learning.models import ModuleStatus
        from ambassade.programs.selectors import register_share_gate

        register_share_gate(training_gate)
        display.register("module_status", ModuleStatus.choices)
