"""Notifications: what brings people back (in-app, e-mail, push), built on domain events."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ambassade.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Subscribers of domain events, the periodic jobs and the sign-in receiver register
        # on import; e-mail is this app's own channel (in-app needs no sender: it is the
        # Notification row).
        from ambassade.notifications import channels, middleware, subscribers, tasks  # noqa: F401
        from ambassade.notifications.email_channel import send_email

        channels.register("email", send_email)
