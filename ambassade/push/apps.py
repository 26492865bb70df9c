from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "ambassade.push"
    verbose_name = _("Web push")

    def ready(self) -> None:
        # The notifications app never imports this one: the channel plugs itself in.
        from ambassade.notifications import channels

        channels.register("push", _send_push)


def _send_push(*args: Any, **kwargs: Any) -> Any:
    # pywebpush brings aiohttp (27 MB): only a process that sends a push pays for it, not
    # every web process (docs/decisions/0043, memory per process).
    from ambassade.push.sender import send_push

    return send_push(*args, **kwargs)
