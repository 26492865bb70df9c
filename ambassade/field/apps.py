from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "ambassade.field"
    verbose_name = _("Field reports")

    def ready(self) -> None:
        from ambassade.field import subscribers, words  # noqa: F401
        from ambassade.notifications import kinds

        kinds.register(
            kinds.Kind(
                "field_report_filed",
                _("A field report in my queue"),
                _("An ambassador filed a field report that your queue handles."),
                _("You get this because you hold the role this kind of report goes to."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL}),
            )
        )
        kinds.register(
            kinds.Kind(
                "field_report_answered",
                _("An answer to my field report"),
                _("The team that handles your field report answered it or closed it."),
                _("You get this because you filed this field report."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
            )
        )
