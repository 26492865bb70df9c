from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutopilotConfig(AppConfig):
    name = "ambassade.autopilot"
    verbose_name = _("Autopilot")

    def ready(self) -> None:
        from ambassade.autopilot import subscribers, words  # noqa: F401
        from ambassade.notifications import kinds

        kinds.register(
            kinds.Kind(
                "autopilot_post",
                _("My autopilot"),
                _(
                    "A post your autopilot prepared, before it goes out (to edit or cancel "
                    "it), or why it prepared none."
                ),
                _("You get this because you turned your autopilot on."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL}),
            )
        )
