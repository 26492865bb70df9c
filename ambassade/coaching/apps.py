from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "ambassade.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from ambassade.coaching import receivers, subscribers  # noqa: F401
        from ambassade.notifications import kinds

        kinds.register(
            kinds.Kind(
                "coaching_question",
                _("A question from an ambassador I coach"),
                _("An ambassador you coach asked you a question or added to its thread."),
                _("You get this because you are this ambassador's coach."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
            )
        )
        kinds.register(
            kinds.Kind(
                "coaching_answer",
                _("My coach answered"),
                _("Your coach answered a question you asked them."),
                _("You get this because you asked your coach a question."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
            )
        )
