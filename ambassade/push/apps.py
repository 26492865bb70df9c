from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "ambassade.push"
    verbose_name = _("Web push")

    def ready(self) -> None:
        # The notifications app never imports this one: the channel plugs itself in.
        from ambassade.notifications import channels
        from ambassade.push.sender import send_push

        channels.register("push", send_push)
