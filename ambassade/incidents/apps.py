"""Incidents: an ambassador reports a problem; their coach and internal communications
answer it; a post that went wrong can be deleted from the network."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "ambassade.incidents"
    verbose_name = _("Problem reports")

    def ready(self) -> None:
        # The notification kinds, the subscribers of the report events, and what this app
        # adds to "My posts" (a "Report a problem" link, the coach's deletion permit).
        from ambassade.incidents import notices, subscribers  # noqa: F401
        from ambassade.incidents.actions import coach_with_consent
        from ambassade.incidents.links import report_link
        from ambassade.sharing import post_hooks

        notices.register_kinds()
        post_hooks.register_deletion_permit(coach_with_consent)
        post_hooks.register_post_link(report_link)
