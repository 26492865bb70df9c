from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationConfig(AppConfig):
    name = "ambassade.delegation"
    verbose_name = _("Delegated drafts")

    def ready(self) -> None:
        from ambassade.delegation import subscribers  # noqa: F401
        from ambassade.notifications import kinds

        kinds.register(
            kinds.Kind(
                "delegation_draft",
                _("A draft written for me"),
                _("Your delegate wrote a post for you to approve, edit or refuse."),
                _("You get this because you named this colleague your delegate."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH}),
            )
        )
        kinds.register(
            kinds.Kind(
                "delegation_outcome",
                _("What became of a draft I wrote"),
                _("The person you write for approved or refused your draft."),
                _("You get this because you wrote this draft for them."),
                urgent=False,
                defaults=frozenset({kinds.IN_APP, kinds.PUSH}),
                console_defaults=frozenset({kinds.IN_APP, kinds.PUSH}),
            )
        )
